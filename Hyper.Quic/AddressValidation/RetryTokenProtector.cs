using System.Buffers.Binary;
using System.Security.Cryptography;
using Hyper.Quic.Packets;

namespace Hyper.Quic.AddressValidation;

/// <summary>
/// Seals and opens Retry tokens (RFC 9000 §8.1.2, §17.2.5): AES-256-GCM under a server key, with the client's address
/// as associated data, so a token used from another address fails to open; inside, the expiry and the original
/// Destination Connection ID, which the server must echo in original_destination_connection_id (§7.3). Time comes
/// in as <c>now</c>: this type reads no clock.
/// </summary>
public sealed class RetryTokenProtector : IDisposable
{
    private const byte FormatVersion = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    /// <summary>format (1) + nonce (12) + expiry (8) + ODCID length (1) + ODCID (≤ 20) + tag (16).</summary>
    public const int MaxTokenLength = 1 + NonceLength + 8 + 1 + ConnectionId.MaxLength + TagLength;

    private readonly AesGcm _aead;

    /// <param name="key">32 random bytes, shared by every worker that may receive the client's next Initial.</param>
    /// <param name="lifetime">How long a token stays valid; short, since a Retry is answered within a round trip.</param>
    public RetryTokenProtector(ReadOnlySpan<byte> key, TimeSpan lifetime)
    {
        if (key.Length != 32) throw new ArgumentException("The Retry token key is 32 bytes.", nameof(key));
        if (lifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime));
        _aead = new AesGcm(key, TagLength);
        Lifetime = lifetime;
    }

    public TimeSpan Lifetime { get; }

    /// <summary>
    /// Seals a token for a client at <paramref name="clientAddress"/> (its address and port in any fixed byte form the
    /// caller also uses to validate). Returns the token length.
    /// </summary>
    public int Seal(
        ReadOnlySpan<byte> clientAddress, ReadOnlySpan<byte> originalDestinationConnectionId, DateTimeOffset now, Span<byte> token)
    {
        if (originalDestinationConnectionId.Length > ConnectionId.MaxLength) throw new ArgumentException("Connection ID too long.");
        var plaintextLength = 8 + 1 + originalDestinationConnectionId.Length;
        var length = 1 + NonceLength + plaintextLength + TagLength;
        if (token.Length < length) throw new ArgumentException("The destination is too small.", nameof(token));

        token[0] = FormatVersion;
        var nonce = token.Slice(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        var body = token.Slice(1 + NonceLength, plaintextLength);
        BinaryPrimitives.WriteInt64BigEndian(body, (now + Lifetime).ToUnixTimeMilliseconds());
        body[8] = (byte)originalDestinationConnectionId.Length;
        originalDestinationConnectionId.CopyTo(body[9..]);
        _aead.Encrypt(nonce, body, body, token.Slice(1 + NonceLength + plaintextLength, TagLength), clientAddress);
        return length;
    }

    /// <summary>
    /// Opens a token from a client's Initial. On <see cref="RetryTokenStatus.Valid"/> the original Destination
    /// Connection ID is returned; a server answers an invalid token with INVALID_TOKEN or by dropping the packet
    /// (§8.1.3).
    /// </summary>
    public RetryTokenStatus Validate(
        ReadOnlySpan<byte> token, ReadOnlySpan<byte> clientAddress, DateTimeOffset now, out ConnectionId originalDestinationConnectionId)
    {
        originalDestinationConnectionId = default;
        if (token.Length < 1 + NonceLength + 9 + TagLength || token.Length > MaxTokenLength || token[0] != FormatVersion)
            return RetryTokenStatus.Invalid;

        var plaintextLength = token.Length - 1 - NonceLength - TagLength;
        Span<byte> body = stackalloc byte[plaintextLength];
        try
        {
            _aead.Decrypt(token.Slice(1, NonceLength), token.Slice(1 + NonceLength, plaintextLength), token[^TagLength..], body, clientAddress);
        }
        catch (AuthenticationTagMismatchException)
        {
            return RetryTokenStatus.Invalid;
        }

        var odcidLength = body[8];
        if (odcidLength != plaintextLength - 9) return RetryTokenStatus.Invalid;
        var expiry = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(body));
        if (now >= expiry) return RetryTokenStatus.Expired;
        originalDestinationConnectionId = new ConnectionId(body.Slice(9, odcidLength));
        return RetryTokenStatus.Valid;
    }

    public void Dispose() => _aead.Dispose();
}
