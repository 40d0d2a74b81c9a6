using System.Security.Cryptography;
using Hyper.Quic.Crypto;

namespace Hyper.Quic.Tls;

/// <summary>
/// The TLS 1.3 key schedule without PSKs (RFC 8446 §7.1): early secret from zeros, handshake secret from the (EC)DHE
/// shared secret, master secret, and the traffic secrets and Finished keys derived from them with the transcript hash.
/// QUIC turns each traffic secret into packet keys with <see cref="PacketKeys.Derive"/> (RFC 9001 §5.1).
/// </summary>
public sealed class TlsKeySchedule
{
    private readonly HashAlgorithmName _hash;
    private readonly int _hashLength;
    private byte[]? _handshakeSecret;
    private byte[]? _masterSecret;

    public TlsKeySchedule(QuicCipherSuite suite)
    {
        Suite = suite;
        _hash = suite.HashAlgorithm();
        _hashLength = suite.SecretLength();
    }

    public QuicCipherSuite Suite { get; }

    public byte[]? ClientHandshakeTrafficSecret { get; private set; }

    public byte[]? ServerHandshakeTrafficSecret { get; private set; }

    public byte[]? ClientApplicationTrafficSecret { get; private set; }

    public byte[]? ServerApplicationTrafficSecret { get; private set; }

    /// <summary>
    /// Handshake secret from the shared secret, and the handshake traffic secrets over Hash(ClientHello..ServerHello).
    /// </summary>
    public void SetSharedSecret(ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> helloTranscriptHash)
    {
        var zeros = new byte[_hashLength];
        // No PSK: early secret = HKDF-Extract(salt 0, IKM 0...0).
        var earlySecret = HKDF.Extract(_hash, zeros, zeros);
        var derived = DeriveSecret(earlySecret, "derived", EmptyHash());
        _handshakeSecret = HKDF.Extract(_hash, sharedSecret.ToArray(), derived);
        ClientHandshakeTrafficSecret = DeriveSecret(_handshakeSecret, "c hs traffic", helloTranscriptHash);
        ServerHandshakeTrafficSecret = DeriveSecret(_handshakeSecret, "s hs traffic", helloTranscriptHash);

        var derivedForMaster = DeriveSecret(_handshakeSecret, "derived", EmptyHash());
        _masterSecret = HKDF.Extract(_hash, zeros, derivedForMaster);
        CryptographicOperations.ZeroMemory(earlySecret);
    }

    /// <summary>Application traffic secrets over Hash(ClientHello..server Finished) (RFC 8446 §7.1).</summary>
    public void DeriveApplicationSecrets(ReadOnlySpan<byte> serverFinishedTranscriptHash)
    {
        var master = _masterSecret ?? throw new InvalidOperationException("The shared secret is not set yet.");
        ClientApplicationTrafficSecret = DeriveSecret(master, "c ap traffic", serverFinishedTranscriptHash);
        ServerApplicationTrafficSecret = DeriveSecret(master, "s ap traffic", serverFinishedTranscriptHash);
        // Nothing else derives from these without resumption or exporters, so they need not outlive this call.
        CryptographicOperations.ZeroMemory(master);
        CryptographicOperations.ZeroMemory(_handshakeSecret);
        _masterSecret = null;
        _handshakeSecret = null;
    }

    /// <summary>verify_data = HMAC(finished_key, transcript hash), finished_key from the sender's handshake traffic secret (§4.4.4).</summary>
    public byte[] ComputeFinishedVerifyData(ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> transcriptHash)
    {
        var finishedKey = new byte[_hashLength];
        HkdfExpandLabel.Expand(_hash, baseKey, "finished"u8, ReadOnlySpan<byte>.Empty, finishedKey);
        var verifyData = _hash == HashAlgorithmName.SHA384
            ? HMACSHA384.HashData(finishedKey, transcriptHash)
            : HMACSHA256.HashData(finishedKey, transcriptHash);
        CryptographicOperations.ZeroMemory(finishedKey);
        return verifyData;
    }

    /// <summary>
    /// The next 1-RTT secret for a QUIC key update (RFC 9001 §6.1): HKDF-Expand-Label(secret, "quic ku", "", Hash.length).
    /// QUIC uses this label instead of TLS's "traffic upd" (RFC 8446 §7.2), and no KeyUpdate message is ever sent.
    /// </summary>
    public static byte[] NextApplicationTrafficSecret(QuicCipherSuite suite, ReadOnlySpan<byte> currentSecret)
    {
        var next = new byte[suite.SecretLength()];
        HkdfExpandLabel.Expand(suite.HashAlgorithm(), currentSecret, "quic ku"u8, ReadOnlySpan<byte>.Empty, next);
        return next;
    }

    /// <summary>Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length).</summary>
    private byte[] DeriveSecret(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> transcriptHash)
    {
        var output = new byte[_hashLength];
        HkdfExpandLabel.Expand(_hash, secret, System.Text.Encoding.ASCII.GetBytes(label), transcriptHash, output);
        return output;
    }

    private byte[] EmptyHash() => _hash == HashAlgorithmName.SHA384 ? SHA384.HashData(ReadOnlySpan<byte>.Empty) : SHA256.HashData(ReadOnlySpan<byte>.Empty);
}
