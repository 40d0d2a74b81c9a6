using Hyper.Quic.Packets;

namespace Hyper.Quic.Frames;

/// <summary>
/// Reads the frames of one decrypted packet payload (RFC 9000 §12.4, §19), checking each against the packet type
/// (Table 3) and the rules of its section. Errors are connection errors and are thrown as
/// <see cref="QuicTransportException"/> carrying the §20.1 code and the offending frame type. Allocates nothing.
/// </summary>
public ref struct QuicFrameReader
{
    /// <summary>RFC 9000 §19.11, §19.14: a stream count can never exceed 2^60.</summary>
    public const ulong MaxStreamCount = 1UL << 60;

    private QuicSpanReader _reader;
    private readonly PacketType _packetType;
    private readonly bool _receiverIsServer;

    /// <param name="payload">The decrypted payload of one packet.</param>
    /// <param name="packetType">The packet it came in, for the §12.4 table.</param>
    /// <param name="receiverIsServer">True on a server: frames only servers send (NEW_TOKEN, HANDSHAKE_DONE) are then
    /// a PROTOCOL_VIOLATION (§19.7, §19.20).</param>
    public QuicFrameReader(ReadOnlySpan<byte> payload, PacketType packetType, bool receiverIsServer)
    {
        if (packetType is PacketType.Retry or PacketType.VersionNegotiation)
            throw new ArgumentOutOfRangeException(nameof(packetType), packetType, "Retry and Version Negotiation carry no frames.");
        // RFC 9000 §12.4: a packet with no frames is a PROTOCOL_VIOLATION.
        if (payload.IsEmpty)
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, "The packet carries no frames.");
        _reader = new QuicSpanReader(payload);
        _packetType = packetType;
        _receiverIsServer = receiverIsServer;
    }

    /// <summary>Reads the next frame; false at the end of the payload.</summary>
    public bool TryRead(out QuicFrame frame)
    {
        frame = default;
        if (_reader.Remaining == 0) return false;

        if (!_reader.TryReadVarint(out var rawType, out var typeLength))
            throw Malformed(0, "The frame type is truncated.");
        // RFC 9000 §12.4: an unknown frame type is a FRAME_ENCODING_ERROR.
        if (rawType > (ulong)FrameType.HandshakeDone)
            throw Malformed(rawType, "Unknown frame type.");
        // RFC 9000 §12.4: a frame type uses the shortest encoding; every type of this version is one byte.
        if (!VariableLengthInteger.IsMinimal(rawType, typeLength))
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, "The frame type is not minimally encoded.", rawType);

        var type = rawType is >= 0x08 and <= 0x0f ? FrameType.Stream : (FrameType)rawType;
        // RFC 9000 §12.4, Table 3.
        if (!FramePermissions.IsAllowed(type, _packetType))
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, $"{type} is not allowed in a {_packetType} packet.", rawType);
        if (_receiverIsServer && type is FrameType.NewToken or FrameType.HandshakeDone)
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, $"Only a server sends {type}.", rawType);

        frame = type switch
        {
            FrameType.Padding => ReadPadding(rawType),
            FrameType.Ping or FrameType.HandshakeDone => new QuicFrame(type, rawType),
            FrameType.Ack or FrameType.AckEcn => ReadAck(type, rawType),
            FrameType.ResetStream => new QuicFrame(type, rawType)
            {
                ResetStream = new ResetStreamFrame(Varint(rawType), Varint(rawType), Varint(rawType)),
            },
            FrameType.StopSending => new QuicFrame(type, rawType) { StopSending = new StopSendingFrame(Varint(rawType), Varint(rawType)) },
            FrameType.Crypto => ReadCrypto(rawType),
            FrameType.NewToken => ReadNewToken(rawType),
            FrameType.Stream => ReadStream(rawType),
            FrameType.MaxData or FrameType.DataBlocked => new QuicFrame(type, rawType) { FlowControl = new FlowControlFrame(0, Varint(rawType)) },
            FrameType.MaxStreamData or FrameType.StreamDataBlocked => new QuicFrame(type, rawType)
            {
                FlowControl = new FlowControlFrame(Varint(rawType), Varint(rawType)),
            },
            FrameType.MaxStreamsBidirectional or FrameType.MaxStreamsUnidirectional
                or FrameType.StreamsBlockedBidirectional or FrameType.StreamsBlockedUnidirectional => ReadStreamCount(type, rawType),
            FrameType.NewConnectionId => ReadNewConnectionId(rawType),
            FrameType.RetireConnectionId => new QuicFrame(type, rawType) { RetireSequenceNumber = Varint(rawType) },
            FrameType.PathChallenge or FrameType.PathResponse => new QuicFrame(type, rawType) { PathData = Bytes(8, rawType) },
            FrameType.ConnectionClose or FrameType.ApplicationClose => ReadConnectionClose(type, rawType),
            _ => throw Malformed(rawType, "Unknown frame type."),
        };
        return true;
    }

    private QuicFrame ReadPadding(ulong rawType)
    {
        // Runs of PADDING are common (Initials are padded to 1200 bytes); folding them keeps the walk cheap.
        var length = 1;
        var rest = _reader.RemainingBytes;
        var run = rest.IndexOfAnyExcept((byte)0);
        var extra = run < 0 ? rest.Length : run;
        _reader.TryReadBytes(extra, out _);
        length += extra;
        return new QuicFrame(FrameType.Padding, rawType) { PaddingLength = length };
    }

    private QuicFrame ReadAck(FrameType type, ulong rawType)
    {
        var largest = Varint(rawType);
        var delay = Varint(rawType);
        var rangeCount = Varint(rawType);
        var firstRange = Varint(rawType);
        // RFC 9000 §19.3.1: a range reaching below packet number 0 is a FRAME_ENCODING_ERROR.
        if (firstRange > largest) throw Malformed(rawType, "The first ACK range extends below packet number 0.");

        var rangesStart = _reader.Position;
        var smallest = (long)(largest - firstRange);
        // Each range takes at least two bytes, so a count past what remains is malformed without walking it.
        if (rangeCount > (ulong)_reader.Remaining / 2) throw Malformed(rawType, "The ACK range count exceeds the frame.");
        for (ulong i = 0; i < rangeCount; i++)
        {
            var gap = Varint(rawType);
            var length = Varint(rawType);
            var nextLargest = smallest - 2 - (long)gap;
            if (nextLargest < 0 || length > (ulong)nextLargest)
                throw Malformed(rawType, "An ACK range extends below packet number 0.");
            smallest = nextLargest - (long)length;
        }
        var rangesLength = _reader.Position - rangesStart;

        EcnCounts? ecn = null;
        if (type == FrameType.AckEcn) ecn = new EcnCounts(Varint(rawType), Varint(rawType), Varint(rawType));

        return new QuicFrame(type, rawType)
        {
            Ack = new AckFrame((long)largest, delay, (long)firstRange, (int)rangeCount, Slice(rangesStart, rangesLength), ecn),
        };
    }

    private QuicFrame ReadCrypto(ulong rawType)
    {
        var offset = Varint(rawType);
        var length = Varint(rawType);
        var data = Bytes(length, rawType);
        // RFC 9000 §19.6: the end of the data cannot pass 2^62 - 1.
        if (offset + length > VariableLengthInteger.MaxValue) throw Malformed(rawType, "CRYPTO data ends past 2^62 - 1.");
        return new QuicFrame(FrameType.Crypto, rawType) { Crypto = new CryptoFrame(offset, data) };
    }

    private QuicFrame ReadNewToken(ulong rawType)
    {
        var length = Varint(rawType);
        // RFC 9000 §19.7: an empty token is a FRAME_ENCODING_ERROR.
        if (length == 0) throw Malformed(rawType, "NEW_TOKEN carries an empty token.");
        return new QuicFrame(FrameType.NewToken, rawType) { Token = Bytes(length, rawType) };
    }

    private QuicFrame ReadStream(ulong rawType)
    {
        var flags = (StreamFrameFlags)(rawType & 0x07);
        var streamId = Varint(rawType);
        var offset = (flags & StreamFrameFlags.Offset) != 0 ? Varint(rawType) : 0;
        // RFC 9000 §19.8: without the LEN bit the data runs to the end of the packet.
        var length = (flags & StreamFrameFlags.Length) != 0 ? Varint(rawType) : (ulong)_reader.Remaining;
        var data = Bytes(length, rawType);
        // RFC 9000 §19.8: offset + length cannot pass 2^62 - 1.
        if (offset + length > VariableLengthInteger.MaxValue) throw Malformed(rawType, "STREAM data ends past 2^62 - 1.");
        return new QuicFrame(FrameType.Stream, rawType)
        {
            Stream = new StreamFrame(streamId, offset, data, (flags & StreamFrameFlags.Fin) != 0),
        };
    }

    private QuicFrame ReadStreamCount(FrameType type, ulong rawType)
    {
        var count = Varint(rawType);
        // RFC 9000 §19.11 and §19.14: a count above 2^60 is a FRAME_ENCODING_ERROR.
        if (count > MaxStreamCount) throw Malformed(rawType, "The stream count exceeds 2^60.");
        return new QuicFrame(type, rawType) { FlowControl = new FlowControlFrame(0, count) };
    }

    private QuicFrame ReadNewConnectionId(ulong rawType)
    {
        var sequence = Varint(rawType);
        var retirePriorTo = Varint(rawType);
        if (!_reader.TryReadByte(out var length)) throw Malformed(rawType, "NEW_CONNECTION_ID is truncated.");
        // RFC 9000 §19.15: the length is 1..20, and Retire Prior To cannot exceed the sequence number.
        if (length is < 1 or > ConnectionId.MaxLength) throw Malformed(rawType, "NEW_CONNECTION_ID length is outside 1..20.");
        if (retirePriorTo > sequence) throw Malformed(rawType, "Retire Prior To exceeds the sequence number.");
        var connectionId = Bytes(length, rawType);
        var token = Bytes(NewConnectionIdFrame.StatelessResetTokenLength, rawType);
        return new QuicFrame(FrameType.NewConnectionId, rawType)
        {
            NewConnectionId = new NewConnectionIdFrame(sequence, retirePriorTo, connectionId, token),
        };
    }

    private QuicFrame ReadConnectionClose(FrameType type, ulong rawType)
    {
        var errorCode = Varint(rawType);
        var triggeringType = type == FrameType.ConnectionClose ? Varint(rawType) : 0;
        var reasonLength = Varint(rawType);
        var reason = Bytes(reasonLength, rawType);
        return new QuicFrame(type, rawType)
        {
            ConnectionClose = new ConnectionCloseFrame(type == FrameType.ApplicationClose, errorCode, triggeringType, reason),
        };
    }

    private ulong Varint(ulong rawType)
    {
        if (!_reader.TryReadVarint(out var value)) throw Malformed(rawType, "A field runs past the end of the packet.");
        return value;
    }

    private ReadOnlySpan<byte> Bytes(ulong length, ulong rawType)
    {
        if (length > (ulong)_reader.Remaining || !_reader.TryReadBytes((int)length, out var bytes))
            throw Malformed(rawType, "A length runs past the end of the packet.");
        return bytes;
    }

    private readonly ReadOnlySpan<byte> Slice(int start, int length) => _reader.Source.Slice(start, length);

    private static QuicTransportException Malformed(ulong rawType, string message) =>
        new(QuicTransportErrorCode.FrameEncodingError, message, rawType);
}
