namespace Hyper.Quic.Crypto;

/// <summary>
/// Header protection (RFC 9001 §5.4): a 5-byte mask computed from a 16-byte sample of the ciphertext, which hides the
/// packet number and the low bits of the first byte. One instance serves one key; it is reused for every packet.
/// </summary>
public abstract class HeaderProtection : IDisposable
{
    /// <summary>RFC 9001 §5.4.2: the sample is 16 bytes for every version 1 suite.</summary>
    public const int SampleLength = 16;

    /// <summary>The mask bytes header protection uses: one for the first byte, up to four for the packet number.</summary>
    public const int MaskLength = 5;

    /// <summary>Writes the first <see cref="MaskLength"/> mask bytes for <paramref name="sample"/>.</summary>
    public abstract void ComputeMask(ReadOnlySpan<byte> sample, Span<byte> mask);

    /// <summary>
    /// The implementation for a suite: AES through the hardware AES instructions where the CPU has them, otherwise
    /// the platform's AES-ECB; ChaCha20 through a managed block function, since .NET exposes no raw ChaCha20.
    /// </summary>
    public static HeaderProtection Create(QuicCipherSuite suite, ReadOnlySpan<byte> key) => suite switch
    {
        QuicCipherSuite.Aes128GcmSha256 or QuicCipherSuite.Aes256GcmSha384 =>
            AesNiHeaderProtection.IsSupported ? new AesNiHeaderProtection(key) : new AesEcbHeaderProtection(key),
        QuicCipherSuite.ChaCha20Poly1305Sha256 => new ChaCha20HeaderProtection(key),
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, null),
    };

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
