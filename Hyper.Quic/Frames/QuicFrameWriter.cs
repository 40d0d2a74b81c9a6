using Hyper.Quic.Packets;

namespace Hyper.Quic.Frames;

/// <summary>
/// Writes frames (RFC 9000 §19) into a packet payload buffer. Each Try method writes a whole frame or nothing and
/// returns false when it does not fit, so a packet builder can close the packet and carry the frame to the next.
/// Frame types are always written in their one-byte shortest form (§12.4).
/// </summary>
public ref struct QuicFrameWriter
{
    private readonly Span<byte> _destination;

    public QuicFrameWriter(Span<byte> destination)
    {
        _destination = destination;
        BytesWritten = 0;
    }

    public int BytesWritten { get; private set; }

    public readonly int Remaining => _destination.Length - BytesWritten;

    /// <summary><paramref name="count"/> PADDING frames (one zero byte each).</summary>
    public bool TryWritePadding(int count)
    {
        if (count > Remaining) return false;
        _destination.Slice(BytesWritten, count).Clear();
        BytesWritten += count;
        return true;
    }

    public bool TryWritePing() => TryWriteTypeOnly(FrameType.Ping);

    public bool TryWriteHandshakeDone() => TryWriteTypeOnly(FrameType.HandshakeDone);

    /// <summary>
    /// An ACK (or ACK_ECN when <paramref name="ecn"/> is given) for <paramref name="ranges"/>, which must be sorted from
    /// the largest packet numbers down, disjoint and not adjacent (a gap of at least one packet, §19.3.1).
    /// </summary>
    public bool TryWriteAck(scoped ReadOnlySpan<PacketNumberRange> ranges, ulong ackDelay, EcnCounts? ecn = null)
    {
        if (ranges.IsEmpty) throw new ArgumentException("An ACK frame acknowledges at least one range.", nameof(ranges));
        var length = 1 + Len((ulong)ranges[0].Largest) + Len(ackDelay) + Len((ulong)(ranges.Length - 1));
        for (var i = 0; i < ranges.Length; i++)
        {
            var range = ranges[i];
            if (range.Smallest < 0 || range.Largest < range.Smallest) throw new ArgumentException("Each range needs 0 <= Smallest <= Largest.", nameof(ranges));
            length += Len((ulong)(range.Largest - range.Smallest));
            if (i > 0)
            {
                var gap = ranges[i - 1].Smallest - range.Largest - 2;
                if (gap < 0) throw new ArgumentException("Ranges must be sorted from largest down with a gap between them.", nameof(ranges));
                length += Len((ulong)gap);
            }
        }
        if (ecn is { } counts) length += Len(counts.Ect0) + Len(counts.Ect1) + Len(counts.EcnCe);
        if (length > Remaining) return false;

        var writer = Start();
        writer.WriteByte((byte)(ecn is null ? FrameType.Ack : FrameType.AckEcn));
        writer.WriteVarint((ulong)ranges[0].Largest);
        writer.WriteVarint(ackDelay);
        writer.WriteVarint((ulong)(ranges.Length - 1));
        writer.WriteVarint((ulong)(ranges[0].Largest - ranges[0].Smallest));
        for (var i = 1; i < ranges.Length; i++)
        {
            writer.WriteVarint((ulong)(ranges[i - 1].Smallest - ranges[i].Largest - 2));
            writer.WriteVarint((ulong)(ranges[i].Largest - ranges[i].Smallest));
        }
        if (ecn is { } written)
        {
            writer.WriteVarint(written.Ect0);
            writer.WriteVarint(written.Ect1);
            writer.WriteVarint(written.EcnCe);
        }
        return Finish(writer);
    }

    public bool TryWriteResetStream(ulong streamId, ulong applicationErrorCode, ulong finalSize) =>
        TryWriteVarints(FrameType.ResetStream, streamId, applicationErrorCode, finalSize);

    public bool TryWriteStopSending(ulong streamId, ulong applicationErrorCode) =>
        TryWriteVarints(FrameType.StopSending, streamId, applicationErrorCode);

    public bool TryWriteCrypto(ulong offset, scoped ReadOnlySpan<byte> data)
    {
        CheckEnd(offset, data.Length);
        if (1 + Len(offset) + Len((ulong)data.Length) + data.Length > Remaining) return false;
        var writer = Start();
        writer.WriteByte((byte)FrameType.Crypto);
        writer.WriteVarint(offset);
        writer.WriteVarint((ulong)data.Length);
        writer.WriteBytes(data);
        return Finish(writer);
    }

    public bool TryWriteNewToken(scoped ReadOnlySpan<byte> token)
    {
        if (token.IsEmpty) throw new ArgumentException("RFC 9000 §19.7: the token is never empty.", nameof(token));
        if (1 + Len((ulong)token.Length) + token.Length > Remaining) return false;
        var writer = Start();
        writer.WriteByte((byte)FrameType.NewToken);
        writer.WriteVarint((ulong)token.Length);
        writer.WriteBytes(token);
        return Finish(writer);
    }

    /// <summary>
    /// A STREAM frame. The OFF bit is set only for a non-zero offset. With <paramref name="lastInPacket"/> the LEN bit
    /// is left clear and the data runs to the end of the packet (§19.8), saving the length field; the caller then
    /// writes nothing after it.
    /// </summary>
    public bool TryWriteStream(ulong streamId, ulong offset, scoped ReadOnlySpan<byte> data, bool fin, bool lastInPacket = false)
    {
        CheckEnd(offset, data.Length);
        var flags = (fin ? StreamFrameFlags.Fin : 0) | (offset != 0 ? StreamFrameFlags.Offset : 0) | (lastInPacket ? 0 : StreamFrameFlags.Length);
        var length = 1 + Len(streamId) + (offset != 0 ? Len(offset) : 0) + (lastInPacket ? 0 : Len((ulong)data.Length)) + data.Length;
        if (length > Remaining) return false;
        var writer = Start();
        writer.WriteByte((byte)((byte)FrameType.Stream | (byte)flags));
        writer.WriteVarint(streamId);
        if (offset != 0) writer.WriteVarint(offset);
        if (!lastInPacket) writer.WriteVarint((ulong)data.Length);
        writer.WriteBytes(data);
        return Finish(writer);
    }

    public bool TryWriteMaxData(ulong maximum) => TryWriteVarints(FrameType.MaxData, maximum);

    public bool TryWriteMaxStreamData(ulong streamId, ulong maximum) => TryWriteVarints(FrameType.MaxStreamData, streamId, maximum);

    public bool TryWriteMaxStreams(bool bidirectional, ulong maximum)
    {
        CheckStreamCount(maximum);
        return TryWriteVarints(bidirectional ? FrameType.MaxStreamsBidirectional : FrameType.MaxStreamsUnidirectional, maximum);
    }

    public bool TryWriteDataBlocked(ulong limit) => TryWriteVarints(FrameType.DataBlocked, limit);

    public bool TryWriteStreamDataBlocked(ulong streamId, ulong limit) => TryWriteVarints(FrameType.StreamDataBlocked, streamId, limit);

    public bool TryWriteStreamsBlocked(bool bidirectional, ulong limit)
    {
        CheckStreamCount(limit);
        return TryWriteVarints(bidirectional ? FrameType.StreamsBlockedBidirectional : FrameType.StreamsBlockedUnidirectional, limit);
    }

    public bool TryWriteNewConnectionId(ulong sequenceNumber, ulong retirePriorTo, scoped ReadOnlySpan<byte> connectionId, scoped ReadOnlySpan<byte> statelessResetToken)
    {
        if (connectionId.Length is < 1 or > ConnectionId.MaxLength) throw new ArgumentException("RFC 9000 §19.15: 1 to 20 bytes.", nameof(connectionId));
        if (statelessResetToken.Length != NewConnectionIdFrame.StatelessResetTokenLength) throw new ArgumentException("The token is 16 bytes.", nameof(statelessResetToken));
        if (retirePriorTo > sequenceNumber) throw new ArgumentException("Retire Prior To cannot exceed the sequence number.", nameof(retirePriorTo));
        if (1 + Len(sequenceNumber) + Len(retirePriorTo) + 1 + connectionId.Length + 16 > Remaining) return false;
        var writer = Start();
        writer.WriteByte((byte)FrameType.NewConnectionId);
        writer.WriteVarint(sequenceNumber);
        writer.WriteVarint(retirePriorTo);
        writer.WriteByte((byte)connectionId.Length);
        writer.WriteBytes(connectionId);
        writer.WriteBytes(statelessResetToken);
        return Finish(writer);
    }

    public bool TryWriteRetireConnectionId(ulong sequenceNumber) => TryWriteVarints(FrameType.RetireConnectionId, sequenceNumber);

    public bool TryWritePathChallenge(scoped ReadOnlySpan<byte> data) => TryWritePathFrame(FrameType.PathChallenge, data);

    public bool TryWritePathResponse(scoped ReadOnlySpan<byte> data) => TryWritePathFrame(FrameType.PathResponse, data);

    /// <summary>CONNECTION_CLOSE of type 0x1c: a transport error and the frame type that caused it (0 if none).</summary>
    public bool TryWriteConnectionClose(QuicTransportErrorCode errorCode, ulong triggeringFrameType, scoped ReadOnlySpan<byte> reasonPhrase) =>
        TryWriteClose(FrameType.ConnectionClose, (ulong)errorCode, triggeringFrameType, reasonPhrase);

    /// <summary>CONNECTION_CLOSE of type 0x1d: an application's error code (§19.19); only in 0-RTT and 1-RTT packets.</summary>
    public bool TryWriteApplicationClose(ulong applicationErrorCode, scoped ReadOnlySpan<byte> reasonPhrase) =>
        TryWriteClose(FrameType.ApplicationClose, applicationErrorCode, 0, reasonPhrase);

    private bool TryWriteClose(FrameType type, ulong errorCode, ulong triggeringFrameType, scoped ReadOnlySpan<byte> reasonPhrase)
    {
        var transport = type == FrameType.ConnectionClose;
        var length = 1 + Len(errorCode) + (transport ? Len(triggeringFrameType) : 0) + Len((ulong)reasonPhrase.Length) + reasonPhrase.Length;
        if (length > Remaining) return false;
        var writer = Start();
        writer.WriteByte((byte)type);
        writer.WriteVarint(errorCode);
        if (transport) writer.WriteVarint(triggeringFrameType);
        writer.WriteVarint((ulong)reasonPhrase.Length);
        writer.WriteBytes(reasonPhrase);
        return Finish(writer);
    }

    private bool TryWritePathFrame(FrameType type, scoped ReadOnlySpan<byte> data)
    {
        if (data.Length != 8) throw new ArgumentException("RFC 9000 §19.17: path validation data is 8 bytes.", nameof(data));
        if (9 > Remaining) return false;
        var writer = Start();
        writer.WriteByte((byte)type);
        writer.WriteBytes(data);
        return Finish(writer);
    }

    private bool TryWriteTypeOnly(FrameType type)
    {
        if (Remaining < 1) return false;
        _destination[BytesWritten++] = (byte)type;
        return true;
    }

    private bool TryWriteVarints(FrameType type, ulong first, ulong? second = null, ulong? third = null)
    {
        var length = 1 + Len(first) + (second is { } s ? Len(s) : 0) + (third is { } t ? Len(t) : 0);
        if (length > Remaining) return false;
        var writer = Start();
        writer.WriteByte((byte)type);
        writer.WriteVarint(first);
        if (second is { } secondValue) writer.WriteVarint(secondValue);
        if (third is { } thirdValue) writer.WriteVarint(thirdValue);
        return Finish(writer);
    }

    private readonly QuicSpanWriter Start() => new(_destination[BytesWritten..]);

    private bool Finish(QuicSpanWriter writer)
    {
        BytesWritten += writer.Position;
        return true;
    }

    private static int Len(ulong value) => VariableLengthInteger.GetEncodedLength(value);

    private static void CheckEnd(ulong offset, int length)
    {
        if (offset + (ulong)length > VariableLengthInteger.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(offset), "RFC 9000 §19.6, §19.8: data cannot end past 2^62 - 1.");
    }

    private static void CheckStreamCount(ulong count)
    {
        if (count > QuicFrameReader.MaxStreamCount)
            throw new ArgumentOutOfRangeException(nameof(count), "RFC 9000 §19.11: stream counts are at most 2^60.");
    }
}
