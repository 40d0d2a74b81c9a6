using Autofac;
using Hyper.Core.Concurrency;

namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// Registers the single-thread-loop backend under its configuration name, <c>single-thread-loop</c>. The loop
/// count comes from a registered <see cref="SingleThreadLoopOptions"/> when there is one, else one loop per core.
/// </summary>
public sealed class SingleThreadLoopBackendModule : Module
{
    protected override void Load(ContainerBuilder builder) =>
        builder.Register(c => new SingleThreadLoopBackend(c.ResolveOptional<SingleThreadLoopOptions>() ?? new SingleThreadLoopOptions()))
            .Keyed<IServerBackend>(SingleThreadLoopBackend.BackendName)
            .InstancePerLifetimeScope();
}
