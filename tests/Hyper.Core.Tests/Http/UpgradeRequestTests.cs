using Hyper.Core.Application;
using Hyper.Core.Http;
using Hyper.Core.Protocols;

namespace Hyper.Core.Tests.Http;

/// <summary>The protocol-neutral part of an Upgrade request the driver checks before asking a registered target (RFC 9110 §7.8).</summary>
public sealed class UpgradeRequestTests
{
    private static RequestHead Head(params (string Name, string Value)[] headers) => new()
    {
        Method = "GET",
        RawPath = "/"u8.ToArray(),
        QueryString = ReadOnlyMemory<byte>.Empty,
        HttpVersion = "1.1",
        Headers = headers.Select(h => HeaderField.Of(h.Name, h.Value)).ToArray(),
    };

    [Fact]
    public void UpgradeWithConnectionUpgrade_AsksForUpgrade()
    {
        UpgradeRequest.AsksForUpgrade(Head(("connection", "keep-alive, Upgrade"), ("upgrade", "websocket"))).Should().BeTrue();
    }

    [Fact]
    public void UpgradeWithoutConnectionUpgrade_NotAnUpgrade()
    {
        // Upgrade is hop-by-hop (§7.6.1): without "Connection: upgrade" a proxy may have passed it on by mistake.
        UpgradeRequest.AsksForUpgrade(Head(("connection", "keep-alive"), ("upgrade", "websocket"))).Should().BeFalse();
        UpgradeRequest.AsksForUpgrade(Head(("upgrade", "websocket"))).Should().BeFalse();
    }

    [Fact]
    public void ConnectionUpgradeWithoutUpgradeField_NotAnUpgrade()
    {
        UpgradeRequest.AsksForUpgrade(Head(("connection", "upgrade"))).Should().BeFalse();
    }

    [Theory]
    [InlineData("h2c", "h2c", true)]
    [InlineData("H2C", "h2c", true)]
    [InlineData("websocket, h2c", "h2c", true)]
    [InlineData(" websocket ,\th2c ", "websocket", true)]
    [InlineData("websocket/13", "websocket", false)]
    [InlineData("h2", "h2c", false)]
    [InlineData("", "h2c", false)]
    public void ListsToken_CommaListCaseInsensitiveWhitespaceTrimmed(string upgrade, string token, bool expected)
    {
        UpgradeRequest.ListsToken(Head(("upgrade", upgrade)), token).Should().Be(expected);
    }

    [Fact]
    public void ListsToken_SeveralUpgradeFields_AnyOfThem()
    {
        UpgradeRequest.ListsToken(Head(("upgrade", "websocket"), ("upgrade", "h2c")), "h2c").Should().BeTrue();
    }
}
