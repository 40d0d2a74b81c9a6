namespace Hyper.Quic.Packets;

/// <summary>
/// A forward-only cursor over received bytes for the QUIC codecs. Every read is a Try: running off the end is an
/// ordinary outcome of malformed input, and the codec above decides which error it is.
/// </summary>
internal ref struct QuicSpanReader
{
    private readonly ReadOnlySpan<byte> _source;

    public QuicSpanReader(ReadOnlySpan<byte> source)
    {
        _source = source;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly int Remaining => _source.Length - Position;

    public readonly ReadOnlySpan<byte> RemainingBytes => _source[Position..];

    public readonly ReadOnlySpan<byte> Source => _source;

    public bool TryReadByte(out byte value)
    {
        if (Position >= _source.Length)
        {
            value = 0;
            return false;
        }
        value = _source[Position++];
        return true;
    }

    public bool TryReadVarint(out ulong value) => TryReadVarint(out value, out _);

    public bool TryReadVarint(out ulong value, out int length)
    {
        if (!VariableLengthInteger.TryRead(_source[Position..], out value, out length)) return false;
        Position += length;
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> bytes)
    {
        if (count < 0 || count > Remaining)
        {
            bytes = default;
            return false;
        }
        bytes = _source.Slice(Position, count);
        Position += count;
        return true;
    }

    /// <summary>Reads a byte string whose length is a varint in front of it (RFC 9000 §19 "(i)" lengths).</summary>
    public bool TryReadVarintPrefixedBytes(out ReadOnlySpan<byte> bytes)
    {
        var start = Position;
        if (TryReadVarint(out var length) && length <= (ulong)Remaining)
            return TryReadBytes((int)length, out bytes);
        Position = start;
        bytes = default;
        return false;
    }

    public bool TryReadUInt32BigEndian(out uint value)
    {
        if (!TryReadBytes(4, out var bytes))
        {
            value = 0;
            return false;
        }
        value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
        return true;
    }
}
