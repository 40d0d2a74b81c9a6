using Autofac;
using Hyper.Core.Concurrency;

namespace Hyper.Backends.Structured;

/// <summary>Registers the structured-concurrency backend under its configuration name, <c>structured</c>.</summary>
public sealed class StructuredBackendModule : Module
{
    protected override void Load(ContainerBuilder builder) =>
        builder.Register(_ => new StructuredBackend())
            .Keyed<IServerBackend>(StructuredBackend.BackendName)
            .InstancePerLifetimeScope();
}
