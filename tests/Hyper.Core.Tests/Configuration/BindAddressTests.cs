using Hyper.Core.Configuration;

namespace Hyper.Core.Tests.Configuration;

public sealed class BindAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8000", BindKind.Tcp, "127.0.0.1", 8000)]
    [InlineData("0.0.0.0:0", BindKind.Tcp, "0.0.0.0", 0)]
    [InlineData("localhost", BindKind.Tcp, "localhost", 8000)]
    [InlineData("[::1]:9000", BindKind.Tcp, "::1", 9000)]
    [InlineData("[::]", BindKind.Tcp, "::", 8000)]
    public void Parse_HostForms_GiveHostAndPort(string text, BindKind kind, string host, int port)
    {
        var bind = BindAddress.Parse(text);

        bind.Kind.Should().Be(kind);
        bind.Host.Should().Be(host);
        bind.Port.Should().Be(port);
    }

    [Fact]
    public void Parse_Unix_GivesPath()
    {
        var bind = BindAddress.Parse("unix:/tmp/hyper.sock");

        bind.Kind.Should().Be(BindKind.Unix);
        bind.UnixPath.Should().Be("/tmp/hyper.sock");
        bind.ToString().Should().Be("unix:/tmp/hyper.sock");
    }

    [Fact]
    public void Parse_FileDescriptor_GivesNumber()
    {
        var bind = BindAddress.Parse("fd://3");

        bind.Kind.Should().Be(BindKind.FileDescriptor);
        bind.FileDescriptor.Should().Be(3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("host:port")]
    [InlineData("host:70000")]
    [InlineData("::1:80")]
    [InlineData("[::1")]
    [InlineData("[nothex]:80")]
    [InlineData("unix:")]
    [InlineData("fd://x")]
    [InlineData(":80")]
    public void TryParse_Malformed_FailsWithReason(string text)
    {
        BindAddress.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void ToString_V6_UsesBrackets() => BindAddress.Parse("[::1]:80").ToString().Should().Be("[::1]:80");

    [Theory]
    [InlineData("127.0.0.1:81", "127.0.0.1", 81)]
    [InlineData("[::1]:82", "::1", 82)]
    [InlineData("localhost:83", "127.0.0.1", 83)]
    public void ResolveEndPoint_TcpBind_GivesSocketAddress(string text, string address, int port)
    {
        var endPoint = BindAddress.Parse(text).ResolveEndPoint();

        endPoint.Address.ToString().Should().Be(address);
        endPoint.Port.Should().Be(port);
    }

    [Fact]
    public void ResolveEndPoint_UnixBind_Throws()
    {
        var resolve = () => BindAddress.Parse("unix:/tmp/x.sock").ResolveEndPoint();

        resolve.Should().Throw<InvalidOperationException>();
    }
}
