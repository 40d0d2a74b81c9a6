using System.Security.Cryptography;

namespace Hyper.Quic.Crypto;

/// <summary>
/// The Initial packet secrets (RFC 9001 §5.2): HKDF-Extract of the client's first Destination Connection ID with the
/// version 1 salt, then "client in" / "server in". Anyone who sees the Initial can derive them; they protect against
/// off-path tampering, not eavesdropping.
/// </summary>
public static class InitialSecrets
{
    // RFC 9001 §5.2, QUIC version 1.
    private static readonly byte[] Version1Salt = Convert.FromHexString("38762cf7f55934b34d179ae6a4c80cadccbb7f0a");

    public const int SecretLength = 32;

    /// <summary>The secret both sides extract first; exposed so the RFC 9001 A.1 vector can be checked.</summary>
    public static byte[] DeriveInitialSecret(ReadOnlySpan<byte> clientDestinationConnectionId)
    {
        var secret = new byte[SecretLength];
        HKDF.Extract(HashAlgorithmName.SHA256, clientDestinationConnectionId, Version1Salt, secret);
        return secret;
    }

    /// <summary>The client's and the server's Initial traffic secrets.</summary>
    public static (byte[] Client, byte[] Server) Derive(ReadOnlySpan<byte> clientDestinationConnectionId)
    {
        var initial = DeriveInitialSecret(clientDestinationConnectionId);
        var client = HkdfExpandLabel.Expand(HashAlgorithmName.SHA256, initial, "client in", SecretLength);
        var server = HkdfExpandLabel.Expand(HashAlgorithmName.SHA256, initial, "server in", SecretLength);
        CryptographicOperations.ZeroMemory(initial);
        return (client, server);
    }
}
