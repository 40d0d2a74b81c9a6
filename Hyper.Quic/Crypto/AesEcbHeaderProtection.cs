using System.Security.Cryptography;

namespace Hyper.Quic.Crypto;

/// <summary>
/// AES header protection (RFC 9001 §5.4.3): mask = AES-ECB(hp_key, sample). Uses the platform's AES through one
/// reused ECB encryptor; the portable fallback for CPUs without AES instructions. A reused
/// <see cref="ICryptoTransform"/> is used rather than the one-shot <see cref="SymmetricAlgorithm.EncryptEcb(ReadOnlySpan{byte}, PaddingMode)"/>,
/// which sets up a cipher context and allocates on every call; ECB keeps no state between blocks, so reuse is safe.
/// </summary>
public sealed class AesEcbHeaderProtection : HeaderProtection
{
    private readonly Aes _aes;
    private readonly ICryptoTransform _encryptor;
    private readonly byte[] _sample = new byte[16];
    private readonly byte[] _block = new byte[16];

    public AesEcbHeaderProtection(ReadOnlySpan<byte> key)
    {
        if (key.Length is not (16 or 32)) throw new ArgumentException("An AES header protection key is 16 or 32 bytes.", nameof(key));
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _encryptor = _aes.CreateEncryptor();
    }

    public override void ComputeMask(ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        sample[..SampleLength].CopyTo(_sample);
        _encryptor.TransformBlock(_sample, 0, SampleLength, _block, 0);
        _block.AsSpan(0, MaskLength).CopyTo(mask);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _encryptor.Dispose();
            _aes.Dispose();
        }
        CryptographicOperations.ZeroMemory(_block);
    }
}
