using System.Buffers.Binary;

namespace Hyper.Quic.Crypto;

/// <summary>
/// ChaCha20 header protection (RFC 9001 §5.4.4): the first four sample bytes are the block counter (little-endian),
/// the other twelve the nonce, and the mask is the key stream that encrypts five zero bytes, i.e. its first five bytes.
/// </summary>
public sealed class ChaCha20HeaderProtection : HeaderProtection
{
    private readonly uint[] _key = new uint[8];

    public ChaCha20HeaderProtection(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32) throw new ArgumentException("A ChaCha20 key is 32 bytes.", nameof(key));
        for (var i = 0; i < 8; i++) _key[i] = BinaryPrimitives.ReadUInt32LittleEndian(key[(4 * i)..]);
    }

    public override void ComputeMask(ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        Span<byte> block = stackalloc byte[64];
        ChaCha20Block.Compute(_key, BinaryPrimitives.ReadUInt32LittleEndian(sample), sample.Slice(4, 12), block);
        block[..MaskLength].CopyTo(mask);
    }

    protected override void Dispose(bool disposing) => Array.Clear(_key);
}
