using Autofac;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;

namespace Hyper.Http11.Tests;

public sealed class Http11ModuleTests
{
    [Fact]
    public void Module_WithOptions_RegistersHttp11AsTheDefaultProtocolFromOptions()
    {
        var builder = new ContainerBuilder();
        builder.RegisterInstance(new HyperOptions { KeepAliveMaxRequests = 3 });
        builder.RegisterModule<Http11Module>();
        using var container = builder.Build();

        var registration = container.Resolve<IEnumerable<ProtocolRegistration>>().Should().ContainSingle().Subject;

        registration.AlpnId.Should().Be("http/1.1");
        registration.IsDefault.Should().BeTrue("a connection without ALPN or a known preface is HTTP/1.1");
        registration.CleartextPreface.Should().BeNull();
        registration.UpgradeToken.Should().BeNull();
        var factory = registration.Factory;
        factory.Should().BeOfType<Http11ProtocolFactory>().Which.Settings.KeepAliveMaxRequests.Should().Be(3);
        factory.Create(new ConnectionInfo(null, null, false)).Should().BeOfType<Http11Connection>();
    }
}
