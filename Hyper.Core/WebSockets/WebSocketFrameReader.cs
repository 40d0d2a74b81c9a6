using System.Buffers.Binary;

namespace Hyper.Core.WebSockets;

/// <summary>
/// Incremental RFC 6455 frame parser: fed any split of the byte stream (one byte at a time works), it reads a
/// header, checks it, then hands out the payload unmasked. It also tracks the data-message sequence across
/// frames, so every rule that a header alone decides is enforced here, before a payload byte is buffered:
/// masking, reserved bits, opcodes, control-frame shape, the 64-bit length, fragmentation order and the
/// message size limit. A broken rule throws <see cref="WebSocketProtocolException"/> with the close code.
/// </summary>
internal sealed class WebSocketFrameReader
{
    private readonly byte[] _header = new byte[WebSocketFrameHeader.MaxSize];
    private readonly WebSocketRole _role;
    private readonly int _maxEmptyFragments;
    private int _headerFilled;
    private int _headerSize = 2;
    private int _keyOffset;
    private bool _inMessage;
    private long _messageLength;
    private int _emptyFragments;

    /// <param name="role">This side: a server requires masked frames, a client unmasked ones (RFC 6455 §5.1).</param>
    /// <param name="maxMessageSize">Largest data message in payload bytes (summed over its frames); larger is 1009.</param>
    /// <param name="maxEmptyFragments">Empty non-final frames allowed per message; more is 1008 (a fragmentation bomb costs work but carries nothing).</param>
    public WebSocketFrameReader(WebSocketRole role, long maxMessageSize, int maxEmptyFragments = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageSize);
        ArgumentOutOfRangeException.ThrowIfNegative(maxEmptyFragments);
        _role = role;
        MaxMessageSize = maxMessageSize;
        _maxEmptyFragments = maxEmptyFragments;
    }

    /// <summary>Largest data message in payload bytes.</summary>
    public long MaxMessageSize { get; }

    /// <summary>RSV1 may be set on the first frame of a data message: permessage-deflate was negotiated (RFC 7692 §6).</summary>
    public bool AllowRsv1 { get; set; }

    /// <summary>The header most recently read by <see cref="TryReadHeader"/>.</summary>
    public WebSocketFrameHeader Header { get; private set; }

    /// <summary>Payload bytes of the current frame not yet handed out by <see cref="ReadPayload"/>.</summary>
    public long PayloadRemaining { get; private set; }

    /// <summary>A header has been read and its payload is not finished: call <see cref="ReadPayload"/>.</summary>
    public bool InPayload => PayloadRemaining > 0;

    /// <summary>Text or Binary: the type of the data message the current data frame belongs to (continuations included).</summary>
    public WebSocketOpcode MessageOpcode { get; private set; }

    /// <summary>The current data message had RSV1 on its first frame (compressed, RFC 7692 §6).</summary>
    public bool MessageCompressed { get; private set; }

    /// <summary>A fragmented data message has started and its final frame has not been read yet.</summary>
    public bool InFragmentedMessage => _inMessage;

    /// <summary>
    /// Reads header bytes from <paramref name="input"/>. Returns true when a complete, valid header is read
    /// (<see cref="Header"/>; its payload follows through <see cref="ReadPayload"/>), false when all of the input
    /// was taken and more is needed. <paramref name="consumed"/> says how many bytes were taken.
    /// </summary>
    public bool TryReadHeader(ReadOnlySpan<byte> input, out int consumed)
    {
        if (InPayload) throw new InvalidOperationException("The current frame's payload has not been read yet.");
        consumed = 0;
        while (true)
        {
            var take = Math.Min(_headerSize - _headerFilled, input.Length - consumed);
            input.Slice(consumed, take).CopyTo(_header.AsSpan(_headerFilled));
            _headerFilled += take;
            consumed += take;
            if (_headerFilled < _headerSize) return false;
            if (_headerSize == 2)
            {
                _headerSize = CheckFirstTwoBytes();
                if (_headerSize > 2) continue;
            }
            CompleteHeader();
            return true;
        }
    }

    /// <summary>
    /// Copies up to <paramref name="destination"/>.Length payload bytes of the current frame from
    /// <paramref name="input"/> into <paramref name="destination"/>, unmasked. Returns the number copied (also the
    /// number of input bytes consumed).
    /// </summary>
    public int ReadPayload(ReadOnlySpan<byte> input, Span<byte> destination)
    {
        var count = (int)Math.Min(PayloadRemaining, Math.Min(input.Length, destination.Length));
        if (count == 0) return 0;
        var target = destination[..count];
        input[..count].CopyTo(target);
        if (Header.Masked) _keyOffset = WebSocketMask.Apply(target, Header.MaskKey, _keyOffset);
        PayloadRemaining -= count;
        return count;
    }

    // Checks everything the first two bytes decide (fail fast, before the rest of the header arrives) and
    // returns the full header size.
    private int CheckFirstTwoBytes()
    {
        var b0 = _header[0];
        var b1 = _header[1];
        var fin = (b0 & 0x80) != 0;
        var rsv1 = (b0 & 0x40) != 0;
        var opcode = (WebSocketOpcode)(b0 & 0x0F);
        var masked = (b1 & 0x80) != 0;
        var length7 = b1 & 0x7F;
        var isControl = (b0 & 0x08) != 0;

        // RFC 6455 §5.2: an unknown opcode fails the connection.
        if (opcode is not (WebSocketOpcode.Continuation or WebSocketOpcode.Text or WebSocketOpcode.Binary
            or WebSocketOpcode.Close or WebSocketOpcode.Ping or WebSocketOpcode.Pong))
            throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, $"Reserved opcode 0x{(int)opcode:X}.");

        // RFC 6455 §5.2: RSV bits must be 0 unless an extension gives them a meaning. RFC 7692 §6: permessage-deflate
        // uses RSV1, and only on the first frame of a data message (not on continuations, not on control frames).
        if ((b0 & 0x30) != 0)
            throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "RSV2 or RSV3 set without a negotiated extension.");
        if (rsv1 && (!AllowRsv1 || isControl || opcode == WebSocketOpcode.Continuation))
            throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError,
                AllowRsv1 ? "RSV1 set on a control or continuation frame." : "RSV1 set without a negotiated extension.");

        // RFC 6455 §5.1: a client masks every frame it sends, a server none; either mistake fails the connection.
        if (masked != (_role == WebSocketRole.Server))
            throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError,
                masked ? "Masked frame from the server." : "Unmasked frame from the client.");

        if (isControl)
        {
            // RFC 6455 §5.5: control frames carry at most 125 bytes and are never fragmented.
            if (!fin) throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "Fragmented control frame.");
            if (length7 > 125) throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "Control frame payload over 125 bytes.");
        }
        else if (opcode == WebSocketOpcode.Continuation)
        {
            // RFC 6455 §5.4: a continuation belongs to a message started by a non-final Text or Binary frame.
            if (!_inMessage) throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "Continuation frame without a message to continue.");
        }
        else if (_inMessage)
        {
            // RFC 6455 §5.4: the fragments of one message are not interleaved with another message.
            throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "New data frame before the fragmented message ended.");
        }

        var lengthBytes = length7 switch { 126 => 2, 127 => 8, _ => 0 };
        return 2 + lengthBytes + (masked ? 4 : 0);
    }

    private void CompleteHeader()
    {
        var b0 = _header[0];
        var b1 = _header[1];
        var length7 = b1 & 0x7F;
        var masked = (b1 & 0x80) != 0;
        long length = length7;
        var position = 2;
        if (length7 == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2));
            position = 4;
        }
        else if (length7 == 127)
        {
            var wide = BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2));
            // RFC 6455 §5.2: the most significant bit of a 64-bit length must be 0.
            if ((wide & 0x8000_0000_0000_0000UL) != 0)
                throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "64-bit payload length with the most significant bit set.");
            length = (long)wide;
            position = 10;
        }
        var key = masked ? BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(position)) : 0u;

        var header = new WebSocketFrameHeader((b0 & 0x80) != 0, (b0 & 0x40) != 0, false, false, (WebSocketOpcode)(b0 & 0x0F), masked, key, length);
        if (!header.IsControl) TrackMessage(header);

        Header = header;
        PayloadRemaining = length;
        _keyOffset = 0;
        _headerFilled = 0;
        _headerSize = 2;
    }

    private void TrackMessage(in WebSocketFrameHeader header)
    {
        if (header.Opcode != WebSocketOpcode.Continuation)
        {
            MessageOpcode = header.Opcode;
            MessageCompressed = header.Rsv1;
            _messageLength = 0;
            _emptyFragments = 0;
        }

        // The limit is checked on the declared length, before any of the payload is buffered (a 2^62 length
        // or a 17 MiB message never costs memory). For a compressed message this bounds the compressed bytes, with
        // room for DEFLATE's framing of data that does not compress (5 bytes per stored block of at most 64 KiB, so
        // a message at the limit is not refused for its overhead); the inflated bytes are bounded while inflating,
        // and compressed bytes are never buffered whole, so the slack costs no memory.
        var limit = MessageCompressed ? MaxMessageSize + MaxMessageSize / 256 + 1024 : MaxMessageSize;
        if (header.PayloadLength > limit - _messageLength)
            throw new WebSocketProtocolException(WebSocketCloseStatus.MessageTooBig,
                $"Message of more than {MaxMessageSize} bytes.");
        _messageLength += header.PayloadLength;

        if (!header.Fin && header.PayloadLength == 0 && ++_emptyFragments > _maxEmptyFragments)
            throw new WebSocketProtocolException(WebSocketCloseStatus.PolicyViolation,
                $"More than {_maxEmptyFragments} empty fragments in one message.");

        _inMessage = !header.Fin;
    }
}
