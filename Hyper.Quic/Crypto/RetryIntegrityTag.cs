using System.Security.Cryptography;

namespace Hyper.Quic.Crypto;

/// <summary>
/// The Retry Integrity Tag (RFC 9001 §5.8): AES-128-GCM with a fixed, published key and nonce over an empty plaintext,
/// the associated data being the Retry pseudo-packet (the original Destination Connection ID, length-prefixed, then
/// the Retry packet without its tag). It proves the Retry came from someone who saw the client's Initial.
/// </summary>
public static class RetryIntegrityTag
{
    // RFC 9001 §5.8, QUIC version 1.
    private static readonly byte[] Key = Convert.FromHexString("be0c690b9f66575a1d766b54e368c84e");
    private static readonly byte[] Nonce = Convert.FromHexString("461599d35d632bf2239825bb");

    public static void Compute(ReadOnlySpan<byte> originalDestinationConnectionId, ReadOnlySpan<byte> retryWithoutTag, Span<byte> tag)
    {
        if (originalDestinationConnectionId.Length > 255) throw new ArgumentException("Connection ID too long.");
        var pseudoLength = 1 + originalDestinationConnectionId.Length + retryWithoutTag.Length;
        // Retry packets are small (headers and a token), so the pseudo-packet fits on the stack.
        Span<byte> pseudo = pseudoLength <= 512 ? stackalloc byte[pseudoLength] : new byte[pseudoLength];
        pseudo[0] = (byte)originalDestinationConnectionId.Length;
        originalDestinationConnectionId.CopyTo(pseudo[1..]);
        retryWithoutTag.CopyTo(pseudo[(1 + originalDestinationConnectionId.Length)..]);
        using var aead = new AesGcm(Key, 16);
        aead.Encrypt(Nonce, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, tag[..16], pseudo);
    }
}
