using Autofac;
using Hyper.Core.Concurrency;

namespace Hyper.Backends.ThreadPool;

/// <summary>Registers the thread-pool backend under its configuration name, <c>thread-pool</c>.</summary>
public sealed class ThreadPoolBackendModule : Module
{
    protected override void Load(ContainerBuilder builder) =>
        builder.RegisterType<ThreadPoolBackend>().Keyed<IServerBackend>(ThreadPoolBackend.BackendName).InstancePerLifetimeScope();
}
