using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Hyper.Quic.Crypto;

/// <summary>
/// Payload protection of one key phase (RFC 9001 §5.3): AEAD with the nonce formed by XORing the IV with the packet
/// number, and the header (up to the end of the packet number) as associated data. Works in place: QUIC's payload
/// is encrypted where it was written, and the tag follows it.
/// </summary>
public sealed class PacketAead : IDisposable
{
    public const int TagLength = 16;
    private const int NonceLength = 12;

    private readonly AesGcm? _aesGcm;
    private readonly ChaCha20Poly1305? _chaCha;
    private readonly byte[] _iv;

    public PacketAead(QuicCipherSuite suite, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        if (iv.Length != NonceLength) throw new ArgumentException("The QUIC IV is 12 bytes.", nameof(iv));
        if (key.Length != suite.KeyLength()) throw new ArgumentException($"A {suite} key is {suite.KeyLength()} bytes.", nameof(key));
        if (suite == QuicCipherSuite.ChaCha20Poly1305Sha256) _chaCha = new ChaCha20Poly1305(key);
        else _aesGcm = new AesGcm(key, TagLength);
        _iv = iv.ToArray();
    }

    /// <summary>
    /// Encrypts <paramref name="payload"/> in place and writes the tag. <paramref name="header"/> must be the bytes
    /// before the payload with the packet number still in clear.
    /// </summary>
    public void Seal(long packetNumber, ReadOnlySpan<byte> header, Span<byte> payload, Span<byte> tag)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        FormNonce(packetNumber, nonce);
        if (_aesGcm is not null) _aesGcm.Encrypt(nonce, payload, payload, tag[..TagLength], header);
        else _chaCha!.Encrypt(nonce, payload, payload, tag[..TagLength], header);
    }

    /// <summary>
    /// Decrypts <paramref name="payload"/> in place. False when the tag does not verify; the platform then wipes the
    /// output, so a caller that wants a second attempt with other keys (a key update, RFC 9001 §6.3) keeps a copy.
    /// </summary>
    public bool TryOpen(long packetNumber, ReadOnlySpan<byte> header, Span<byte> payload, ReadOnlySpan<byte> tag)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        FormNonce(packetNumber, nonce);
        try
        {
            if (_aesGcm is not null) _aesGcm.Decrypt(nonce, payload, tag[..TagLength], payload, header);
            else _chaCha!.Decrypt(nonce, payload, tag[..TagLength], payload, header);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            // RFC 9000 §12.2 and RFC 9001 §5.3: a packet that fails authentication is discarded, never an error.
            return false;
        }
    }

    /// <summary>RFC 9001 §5.3: the 62-bit packet number, left-padded to the IV's size, XORed with the IV.</summary>
    internal void FormNonce(long packetNumber, Span<byte> nonce)
    {
        _iv.CopyTo(nonce);
        var tail = BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ (ulong)packetNumber;
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], tail);
    }

    public void Dispose()
    {
        _aesGcm?.Dispose();
        _chaCha?.Dispose();
        CryptographicOperations.ZeroMemory(_iv);
    }
}
