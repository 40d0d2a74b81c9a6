using Hyper.Core.Protocols;

namespace Hyper.Core.Tests.Protocols;

public sealed class ProtocolRegistryTests
{
    private static readonly NamedFactory Http11 = new("http/1.1");
    private static readonly NamedUpgradeTarget Http2 = new("h2");

    private static ProtocolRegistration Http11Registration => new(Http11) { AlpnId = "http/1.1", AlpnPreference = 200, IsDefault = true };

    private static ProtocolRegistration Http2Registration => new(Http2)
    {
        AlpnId = "h2", AlpnPreference = 100, CleartextPreface = new FixedPreface("PRI"), UpgradeToken = "h2c",
    };

    [Fact]
    public void AlpnIds_OrderedByPreferenceNotByRegistrationOrder()
    {
        // The CLI registers HTTP/1.1's module first; h2 must still be offered first.
        var registry = new ProtocolRegistry([Http11Registration, Http2Registration]);

        registry.AlpnIds.Should().Equal("h2", "http/1.1");
    }

    [Fact]
    public void AlpnIds_EqualPreference_KeepRegistrationOrder()
    {
        var registry = new ProtocolRegistry([Http11Registration with { AlpnPreference = 0 }, Http2Registration with { AlpnPreference = 0 }]);

        registry.AlpnIds.Should().Equal("http/1.1", "h2");
    }

    [Theory]
    [InlineData("h2", "h2")]
    [InlineData("http/1.1", "http/1.1")]
    [InlineData(null, "http/1.1")]
    [InlineData("spdy/3", "http/1.1")]
    public void ForAlpn_NegotiatedId_ItsProtocolElseTheDefault(string? negotiated, string expected)
    {
        var registry = new ProtocolRegistry([Http11Registration, Http2Registration]);

        registry.ForAlpn(negotiated).Alpn.Should().Be(expected);
    }

    [Fact]
    public void Keys_EachListedWhereTheConnectionPipelineAndDriverLook()
    {
        var registry = new ProtocolRegistry([Http11Registration, Http2Registration]);

        registry.Default.Should().BeSameAs(Http11);
        registry.CleartextPrefaces.Should().ContainSingle().Which.Factory.Should().BeSameAs(Http2);
        registry.Upgrades.Should().ContainSingle().Which.UpgradeToken.Should().Be("h2c");
    }

    [Fact]
    public void NewProtocolOrUpgradeToken_IsOneRegistration()
    {
        var h3 = new NamedFactory("h3");
        var websocket = new NamedUpgradeTarget("websocket");

        var registry = new ProtocolRegistry([
            Http11Registration, Http2Registration,
            new ProtocolRegistration(h3) { AlpnId = "h3", AlpnPreference = 50 },
            new ProtocolRegistration(websocket) { UpgradeToken = "websocket" },
        ]);

        registry.AlpnIds.Should().Equal("h3", "h2", "http/1.1");
        registry.ForAlpn("h3").Should().BeSameAs(h3);
        registry.Upgrades.Select(u => u.UpgradeToken).Should().Equal("h2c", "websocket");
    }

    [Fact]
    public void NoDefault_Refused()
    {
        var build = () => new ProtocolRegistry([Http2Registration]);

        build.Should().Throw<ArgumentException>().WithMessage("*default*");
    }

    [Fact]
    public void TwoDefaults_Refused()
    {
        var build = () => new ProtocolRegistry([Http11Registration, Http2Registration with { IsDefault = true }]);

        build.Should().Throw<ArgumentException>().WithMessage("*default*");
    }

    [Fact]
    public void SameAlpnIdTwice_Refused()
    {
        var build = () => new ProtocolRegistry([Http11Registration, Http2Registration with { AlpnId = "http/1.1" }]);

        build.Should().Throw<ArgumentException>().WithMessage("*'http/1.1'*twice*");
    }

    [Fact]
    public void SameUpgradeTokenTwice_DifferentCase_Refused()
    {
        // RFC 9110 §7.8: tokens are case-insensitive, so H2C and h2c are one key.
        var build = () => new ProtocolRegistry([Http11Registration, Http2Registration,
            new ProtocolRegistration(new NamedUpgradeTarget("other")) { UpgradeToken = "H2C" }]);

        build.Should().Throw<ArgumentException>().WithMessage("*twice*");
    }

    [Fact]
    public void UpgradeTokenOnAFactoryThatCannotBeUpgradedTo_Refused()
    {
        var build = () => new ProtocolRegistry([Http11Registration with { UpgradeToken = "http/1.1" }]);

        build.Should().Throw<ArgumentException>().WithMessage($"*{nameof(IUpgradeTargetFactory)}*");
    }
}
