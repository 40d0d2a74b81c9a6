using Hyper.Core.WebSockets;

namespace Hyper.Core.Tests.WebSockets;

/// <summary>The frame reader on its own: header fields (RFC 6455 §5.2) read byte by byte, and its payload hand-out.</summary>
public sealed class WebSocketFrameReaderTests
{
    [Fact]
    public void Header_WithA64BitLengthAndAMask_IsReadByteByByte()
    {
        // FIN, binary, masked, 127 → 8-byte length 0x0000000000010000 (65536), key 01 02 03 04.
        byte[] header = [0x82, 0xFF, 0, 0, 0, 0, 0, 1, 0, 0, 1, 2, 3, 4];
        var reader = new WebSocketFrameReader(WebSocketRole.Server, maxMessageSize: 1 << 20);

        for (var i = 0; i < header.Length - 1; i++)
        {
            reader.TryReadHeader(header.AsSpan(i, 1), out var consumed).Should().BeFalse($"byte {i} does not finish the header");
            consumed.Should().Be(1);
        }
        reader.TryReadHeader(header.AsSpan(header.Length - 1), out _).Should().BeTrue();

        reader.Header.Should().Be(new WebSocketFrameHeader(true, false, false, false, WebSocketOpcode.Binary, true, 0x04030201, 65536));
        reader.PayloadRemaining.Should().Be(65536);
        reader.MessageOpcode.Should().Be(WebSocketOpcode.Binary);
    }

    [Fact]
    public void TryReadHeader_StopsAtTheEndOfTheHeader()
    {
        byte[] wire = [0x89, 0x80, 9, 9, 9, 9, 0x8A, 0x80, 1, 1, 1, 1];
        var reader = new WebSocketFrameReader(WebSocketRole.Server, 100);

        reader.TryReadHeader(wire, out var consumed).Should().BeTrue();
        consumed.Should().Be(6);
        reader.Header.Opcode.Should().Be(WebSocketOpcode.Ping);
        reader.InPayload.Should().BeFalse("an empty ping has no payload");
        reader.TryReadHeader(wire.AsSpan(6), out consumed).Should().BeTrue();
        reader.Header.Opcode.Should().Be(WebSocketOpcode.Pong);
    }

    [Fact]
    public void Payload_IsUnmaskedAcrossPieces_AndTheNextHeaderMustWait()
    {
        byte[] wire = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58];
        var reader = new WebSocketFrameReader(WebSocketRole.Server, 100);
        reader.TryReadHeader(wire, out var consumed).Should().BeTrue();
        var payload = new byte[5];

        reader.ReadPayload(wire.AsSpan(consumed, 2), payload).Should().Be(2);
        FluentActions.Invoking(() => reader.TryReadHeader(wire, out _)).Should().Throw<InvalidOperationException>();
        reader.ReadPayload(wire.AsSpan(consumed + 2), payload.AsSpan(2)).Should().Be(3);

        payload.Should().Equal("Hello"u8.ToArray());
        reader.InPayload.Should().BeFalse();
    }

    [Fact] // RFC 7692 §6: RSV1 is allowed on a message's first frame once permessage-deflate is negotiated.
    public void Rsv1_IsAllowedOnlyWhenNegotiated()
    {
        byte[] compressedText = [0xC1, 0x80, 0, 0, 0, 0];
        new WebSocketFrameReader(WebSocketRole.Server, 100) { AllowRsv1 = true }.TryReadHeader(compressedText, out _).Should().BeTrue();

        FluentActions.Invoking(() => new WebSocketFrameReader(WebSocketRole.Server, 100).TryReadHeader(compressedText, out _))
            .Should().Throw<WebSocketProtocolException>().Which.CloseStatus.Should().Be(WebSocketCloseStatus.ProtocolError);
    }
}
