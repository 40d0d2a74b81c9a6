using System.Security.Cryptography;

namespace Hyper.Quic.Crypto;

/// <summary>
/// AES header protection (RFC 9001 §5.4.3): mask = AES-ECB(hp_key, sample). Uses the platform's AES through one
/// reused <see cref="Aes"/> instance; the portable fallback for CPUs without AES instructions.
/// </summary>
public sealed class AesEcbHeaderProtection : HeaderProtection
{
    private readonly Aes _aes;
    private readonly byte[] _block = new byte[16];

    public AesEcbHeaderProtection(ReadOnlySpan<byte> key)
    {
        if (key.Length is not (16 or 32)) throw new ArgumentException("An AES header protection key is 16 or 32 bytes.", nameof(key));
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
    }

    public override void ComputeMask(ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        _aes.EncryptEcb(sample[..SampleLength], _block, PaddingMode.None);
        _block.AsSpan(0, MaskLength).CopyTo(mask);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _aes.Dispose();
        CryptographicOperations.ZeroMemory(_block);
    }
}
