namespace Hyper.Quic.Tls;

/// <summary>
/// Reads the TLS presentation language (RFC 8446 §3): big-endian integers and vectors with 1-, 2- or 3-byte length
/// prefixes. Anything that runs past its enclosing vector is a decode_error (RFC 8446 §6.2).
/// </summary>
public ref struct TlsReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public TlsReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public readonly bool IsEmpty => _position == _data.Length;

    public byte ReadUInt8()
    {
        Need(1);
        return _data[_position++];
    }

    public ushort ReadUInt16()
    {
        Need(2);
        var value = (ushort)((_data[_position] << 8) | _data[_position + 1]);
        _position += 2;
        return value;
    }

    public int ReadUInt24()
    {
        Need(3);
        var value = (_data[_position] << 16) | (_data[_position + 1] << 8) | _data[_position + 2];
        _position += 3;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count);
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    /// <summary>A vector with a one-byte length; <paramref name="minLength"/> enforces the declared floor, such as &lt;1..2^8-1&gt;.</summary>
    public ReadOnlySpan<byte> ReadVector8(int minLength = 0) => Checked(ReadBytes(ReadUInt8()), minLength);

    public ReadOnlySpan<byte> ReadVector16(int minLength = 0) => Checked(ReadBytes(ReadUInt16()), minLength);

    public ReadOnlySpan<byte> ReadVector24(int minLength = 0) => Checked(ReadBytes(ReadUInt24()), minLength);

    /// <summary>Throws decode_error unless everything was read: trailing bytes inside a structure are malformed.</summary>
    public readonly void ExpectEnd(string what)
    {
        if (!IsEmpty)
            throw new TlsAlertException(TlsAlert.DecodeError, $"{Remaining} trailing bytes after {what}.");
    }

    private static ReadOnlySpan<byte> Checked(ReadOnlySpan<byte> vector, int minLength) =>
        vector.Length >= minLength
            ? vector
            : throw new TlsAlertException(TlsAlert.DecodeError, $"Vector of {vector.Length} bytes is below its minimum of {minLength}.");

    private readonly void Need(int count)
    {
        if (count > _data.Length - _position)
            throw new TlsAlertException(TlsAlert.DecodeError, "Handshake structure ends early.");
    }
}
