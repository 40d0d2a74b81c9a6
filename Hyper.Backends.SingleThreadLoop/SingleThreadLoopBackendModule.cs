using Autofac;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;

namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// Registers the single-thread-loop backend under its configuration name, <c>single-thread-loop</c>. The loop
/// count comes from a registered <see cref="SingleThreadLoopOptions"/> when there is one, else from the
/// <c>loops</c> option (0: one loop per core).
/// </summary>
public sealed class SingleThreadLoopBackendModule : Module
{
    protected override void Load(ContainerBuilder builder) =>
        builder.Register(c => new SingleThreadLoopBackend(c.ResolveOptional<SingleThreadLoopOptions>() ?? FromHyperOptions(c.ResolveOptional<HyperOptions>())))
            .Keyed<IServerBackend>(SingleThreadLoopBackend.BackendName)
            .InstancePerLifetimeScope();

    private static SingleThreadLoopOptions FromHyperOptions(HyperOptions? options) =>
        options is { Loops: > 0 } ? new SingleThreadLoopOptions { Loops = options.Loops } : new SingleThreadLoopOptions();
}
