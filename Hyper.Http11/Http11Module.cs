using Autofac;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;

namespace Hyper.Http11;

/// <summary>Registers HTTP/1.1 as an <see cref="IStreamProtocolFactory"/>, configured from the container's <see cref="HyperOptions"/>.</summary>
public sealed class Http11Module : Module
{
    protected override void Load(ContainerBuilder builder) =>
        builder.Register(c => new Http11ProtocolFactory(c.Resolve<HyperOptions>()))
            .As<IStreamProtocolFactory>()
            .AsSelf()
            .SingleInstance();
}
