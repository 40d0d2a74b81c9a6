using Hyper.Core.Configuration;

namespace Hyper.Core.Tests.Configuration;

public sealed class WebSocketLimitsTests
{
    [Fact]
    public void Defaults_AreValid_AndFollowTheDocumentedValues()
    {
        var limits = new WebSocketLimits().Validate();

        limits.MaxMessageSize.Should().Be(16 * 1024 * 1024);
        limits.Compression.Should().BeFalse();
        limits.PingInterval.Should().BeNull();
        limits.CloseTimeout.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void InvalidValue_NamesItsKey(WebSocketLimits limits, string key)
    {
        FluentActions.Invoking(limits.Validate).Should().Throw<OptionsValidationException>().Which.Key.Should().Be(key);
    }

    public static TheoryData<WebSocketLimits, string> InvalidValues() => new()
    {
        { new WebSocketLimits { MaxMessageSize = 0 }, "websocket_max_message_size" },
        { new WebSocketLimits { MaxMessageSize = long.MaxValue }, "websocket_max_message_size" },
        { new WebSocketLimits { MaxEmptyFragments = -1 }, "websocket_max_empty_fragments" },
        { new WebSocketLimits { PingInterval = TimeSpan.Zero }, "websocket_ping_interval" },
        { new WebSocketLimits { PongTimeout = TimeSpan.Zero }, "websocket_pong_timeout" },
        { new WebSocketLimits { CloseTimeout = TimeSpan.FromSeconds(-1) }, "websocket_close_timeout" },
        { new WebSocketLimits { ServerMaxWindowBits = 8 }, "websocket_server_max_window_bits" },
        { new WebSocketLimits { ClientMaxWindowBits = 16 }, "websocket_client_max_window_bits" },
        { new WebSocketLimits { AllowedOrigins = ["example.com"] }, "websocket_allowed_origins" },
    };
}
