using Autofac;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;

namespace Hyper.Http2;

/// <summary>Registers HTTP/2 as an <see cref="IStreamProtocolFactory"/> (ALPN <c>h2</c>, and h2c on cleartext ports).</summary>
public sealed class Http2Module : Module
{
    protected override void Load(ContainerBuilder builder) =>
        builder.Register(c => new Http2ProtocolFactory(c.Resolve<HyperOptions>()))
            .As<IStreamProtocolFactory>()
            .AsSelf()
            .SingleInstance();
}
