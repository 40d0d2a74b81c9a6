using System.Buffers.Binary;

namespace Hyper.Quic.Packets;

/// <summary>
/// A forward-only cursor over a destination buffer for the QUIC codecs. Writers check the whole item's size before
/// writing any of it, so a false return leaves the position where it was and the caller can start a new packet.
/// </summary>
internal ref struct QuicSpanWriter
{
    private readonly Span<byte> _destination;

    public QuicSpanWriter(Span<byte> destination)
    {
        _destination = destination;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly int Remaining => _destination.Length - Position;

    public void WriteByte(byte value) => _destination[Position++] = value;

    public void WriteVarint(ulong value)
    {
        VariableLengthInteger.TryWrite(_destination[Position..], value, out var written);
        if (written == 0) throw new ArgumentException("The destination is too small for the varint.");
        Position += written;
    }

    public void WriteVarint(ulong value, int length)
    {
        if (!VariableLengthInteger.TryWrite(_destination[Position..], value, length, out var written))
            throw new ArgumentException("The destination is too small for the varint.");
        Position += written;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination[Position..]);
        Position += bytes.Length;
    }

    public void WriteUInt32BigEndian(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_destination[Position..], value);
        Position += 4;
    }
}
