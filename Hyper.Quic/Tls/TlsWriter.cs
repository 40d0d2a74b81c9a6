namespace Hyper.Quic.Tls;

/// <summary>
/// Builds TLS structures (RFC 8446 §3) into a growing buffer. Vectors are opened with a placeholder length and closed
/// once their contents are written, so nested structures need no size computation up front.
/// </summary>
public sealed class TlsWriter
{
    private byte[] _buffer;

    public TlsWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void WriteUInt8(byte value) => Reserve(1)[0] = value;

    public void WriteUInt16(ushort value)
    {
        var span = Reserve(2);
        span[0] = (byte)(value >> 8);
        span[1] = (byte)value;
    }

    public void WriteUInt24(int value)
    {
        var span = Reserve(3);
        span[0] = (byte)(value >> 16);
        span[1] = (byte)(value >> 8);
        span[2] = (byte)value;
    }

    public void WriteBytes(ReadOnlySpan<byte> value) => value.CopyTo(Reserve(value.Length));

    /// <summary>Starts a vector whose length prefix is <paramref name="lengthBytes"/> (1, 2 or 3) wide; returns the mark for <see cref="EndVector"/>.</summary>
    public int BeginVector(int lengthBytes)
    {
        if (lengthBytes is < 1 or > 3)
            throw new ArgumentOutOfRangeException(nameof(lengthBytes));
        Reserve(lengthBytes).Clear();
        return (Length << 2) | lengthBytes;
    }

    public void EndVector(int mark)
    {
        var lengthBytes = mark & 3;
        var contentStart = mark >> 2;
        var length = Length - contentStart;
        if (length >= 1 << (8 * lengthBytes))
            throw new InvalidOperationException($"Vector of {length} bytes does not fit a {lengthBytes}-byte length.");
        for (var i = 0; i < lengthBytes; i++)
            _buffer[contentStart - 1 - i] = (byte)(length >> (8 * i));
    }

    private Span<byte> Reserve(int count)
    {
        if (Length + count > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
