using Autofac;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;

namespace Hyper.Http11.Tests;

public sealed class Http11ModuleTests
{
    [Fact]
    public void Module_WithOptions_RegistersHttp11FactoryFromOptions()
    {
        var builder = new ContainerBuilder();
        builder.RegisterInstance(new HyperOptions { KeepAliveMaxRequests = 3 });
        builder.RegisterModule<Http11Module>();
        using var container = builder.Build();

        var factory = container.Resolve<IEnumerable<IStreamProtocolFactory>>().Should().ContainSingle().Subject;

        factory.Alpn.Should().Be("http/1.1");
        factory.Should().BeOfType<Http11ProtocolFactory>().Which.Settings.KeepAliveMaxRequests.Should().Be(3);
        factory.Create(new ConnectionInfo(null, null, false)).Should().BeOfType<Http11Connection>();
    }
}
