using System.Security.Cryptography;

namespace Hyper.Quic.AddressValidation;

/// <summary>
/// Stateless reset (RFC 9000 §10.3): the token a server issues with each connection ID, and detection of a reset in
/// a received datagram. Tokens are an HMAC of the connection ID under a static key (§10.3.2), so a restarted server
/// that keeps its key can still reset connections it has forgotten.
/// </summary>
public static class StatelessReset
{
    public const int TokenLength = 16;

    /// <summary>
    /// The smallest datagram that can be a stateless reset: a first byte, at least 38 unpredictable bits (together 5
    /// bytes, §10.3) and the token; anything shorter is not checked.
    /// </summary>
    public const int MinimumDatagramLength = 5 + TokenLength;

    /// <summary>The token for <paramref name="connectionId"/>: HMAC-SHA256(key, connection ID), first 16 bytes.</summary>
    public static void ComputeToken(ReadOnlySpan<byte> staticKey, ReadOnlySpan<byte> connectionId, Span<byte> token)
    {
        if (staticKey.Length < 32) throw new ArgumentException("Use a key of at least 32 random bytes.", nameof(staticKey));
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(staticKey, connectionId, mac);
        mac[..TokenLength].CopyTo(token);
    }

    /// <summary>
    /// True when the datagram's last 16 bytes equal <paramref name="token"/> (RFC 9000 §10.3.1), compared in constant
    /// time so the check leaks nothing about the token.
    /// </summary>
    public static bool IsStatelessReset(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> token)
    {
        if (token.Length != TokenLength) throw new ArgumentException("A stateless reset token is 16 bytes.", nameof(token));
        return datagram.Length >= MinimumDatagramLength && CryptographicOperations.FixedTimeEquals(datagram[^TokenLength..], token);
    }

    /// <summary>
    /// Writes a stateless reset of <paramref name="length"/> bytes: a short-header-looking first byte, random bytes,
    /// then the token (§10.3). The caller picks a length below the triggering packet's, so that resets cannot loop or
    /// amplify (§10.3.3), and at least <see cref="MinimumDatagramLength"/>.
    /// </summary>
    public static void Write(Span<byte> destination, int length, ReadOnlySpan<byte> token)
    {
        if (length < MinimumDatagramLength) throw new ArgumentOutOfRangeException(nameof(length), $"A stateless reset is at least {MinimumDatagramLength} bytes.");
        if (token.Length != TokenLength) throw new ArgumentException("A stateless reset token is 16 bytes.", nameof(token));
        var packet = destination[..length];
        RandomNumberGenerator.Fill(packet[..^TokenLength]);
        // Form bit 0, fixed bit 1: indistinguishable from a short header packet (§10.3).
        packet[0] = (byte)(0x40 | (packet[0] & 0x3f));
        token.CopyTo(packet[^TokenLength..]);
    }
}
