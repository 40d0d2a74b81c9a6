using System.Buffers.Binary;
using Hyper.Conformance.Http2.Client;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>
/// RFC 8441: the server announces SETTINGS_ENABLE_CONNECT_PROTOCOL; an extended CONNECT (with :protocol) is a request
/// whose head carries the protocol and whose DATA frames, both ways, are the tunnelled bytes.
/// </summary>
public sealed class ExtendedConnectTests
{
    private static readonly (string, string)[] WebSocketConnect =
        [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", "/chat?room=1"), (":authority", "localhost"),
         ("sec-websocket-version", "13")];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ServerSettings_AnnounceConnectProtocol_WhenEnabled(bool enabled)
    {
        var h = new Http2Harness(Http2Harness.DefaultSettings() with { EnableConnectProtocol = enabled });

        h.Send(Http2ClientCodec.Hello());

        var settings = h.TakeFrames().First(f => f.Type == Http2FrameType.Settings && !f.Has(Http2FrameFlags.Ack));
        var entries = Enumerable.Range(0, settings.Payload.Length / 6)
            .ToDictionary(i => BinaryPrimitives.ReadUInt16BigEndian(settings.Payload.AsSpan(i * 6)), i => BinaryPrimitives.ReadUInt32BigEndian(settings.Payload.AsSpan(i * 6 + 2)));
        if (enabled) entries.Should().ContainKey((ushort)Http2SettingsParameter.EnableConnectProtocol).WhoseValue.Should().Be(1u);
        else entries.Should().NotContainKey((ushort)Http2SettingsParameter.EnableConnectProtocol);
    }

    [Fact]
    public void ExtendedConnect_IsARequestWithItsProtocolPathAndBody()
    {
        var h = HarnessRequests.Ready();

        h.Raw(1, WebSocketConnect, endStream: false);

        var head = h.TakeEvents().RequestOn(1);
        head.Should().NotBeNull();
        head!.Method.Should().Be("CONNECT");
        head.Protocol.Should().Be("websocket");
        System.Text.Encoding.ASCII.GetString(head.RawPath.Span).Should().Be("/chat");
        System.Text.Encoding.ASCII.GetString(head.QueryString.Span).Should().Be("room=1");
        head.HasBody.Should().BeTrue();
        h.Reset(1).Should().BeNull();
    }

    [Fact]
    public void ExtendedConnect_DataBothWays_IsTheTunnelAndIgnoresMaxBodySize()
    {
        var h = HarnessRequests.Ready(configure: s => s with { MaxBodySize = 10 });
        h.Raw(1, WebSocketConnect, endStream: false);
        h.TakeEvents();

        h.StartResponse(1, 200);
        h.Data(1, 100, endStream: false);
        h.Body(1, 50, endStream: false);

        h.TakeEvents().OfType<RequestBodyReceived>().Sum(e => e.Data.Length).Should().Be(100);
        var frames = h.TakeFrames();
        frames.ResponseHeaders(1).Should().NotBeNull();
        frames.DataBytes(1).Should().Be(50);
        h.Reset(1).Should().BeNull();
    }

    [Fact]
    public void ExtendedConnect_WhenDisabled_IsAnswered501()
    {
        var h = HarnessRequests.Ready(configure: s => s with { EnableConnectProtocol = false });

        h.Raw(1, WebSocketConnect, endStream: false);

        h.TakeEvents().OfType<RequestRejected>().Should().ContainSingle().Which.StatusCode.Should().Be(501);
    }

    [Theory]
    [InlineData(":path")]
    [InlineData(":scheme")]
    public void ExtendedConnect_WithoutPathOrScheme_IsMalformed(string missing)
    {
        var h = HarnessRequests.Ready();

        h.Raw(1, WebSocketConnect.Where(f => f.Item1 != missing), endStream: false);

        h.Reset(1)!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }
}
