using System.Text;
using Hyper.Quic.Crypto;

namespace Hyper.Quic.Tls;

/// <summary>
/// Writes the server's handshake messages (RFC 8446 §4), each with its 4-byte header (type, uint24 length), ready
/// for the transcript and the CRYPTO stream.
/// </summary>
public static class HandshakeMessageWriter
{
    private const ushort Tls12 = 0x0303;
    private const ushort Tls13 = 0x0304;

    /// <summary>The ServerHello.random that marks a HelloRetryRequest: SHA-256("HelloRetryRequest") (§4.1.3).</summary>
    public static ReadOnlySpan<byte> HelloRetryRequestRandom =>
    [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ];

    public static byte[] ServerHello(ReadOnlySpan<byte> random, ReadOnlySpan<byte> legacySessionIdEcho, QuicCipherSuite suite, NamedGroup group, ReadOnlySpan<byte> publicKey)
    {
        var w = new TlsWriter();
        var message = BeginMessage(w, HandshakeType.ServerHello);
        WriteHelloPrefix(w, random, legacySessionIdEcho, suite);
        var extensions = w.BeginVector(2);
        // key_share before supported_versions, the order of RFC 8448's trace, so the tests can compare byte for byte.
        w.WriteUInt16((ushort)ExtensionType.KeyShare);
        var keyShare = w.BeginVector(2);
        w.WriteUInt16((ushort)group);
        var key = w.BeginVector(2);
        w.WriteBytes(publicKey);
        w.EndVector(key);
        w.EndVector(keyShare);
        WriteSupportedVersions(w);
        w.EndVector(extensions);
        w.EndVector(message);
        return w.ToArray();
    }

    /// <summary>A HelloRetryRequest (§4.1.4): a ServerHello with the special random, naming only the group wanted.</summary>
    public static byte[] HelloRetryRequest(ReadOnlySpan<byte> legacySessionIdEcho, QuicCipherSuite suite, NamedGroup selectedGroup, ReadOnlySpan<byte> cookie)
    {
        var w = new TlsWriter();
        var message = BeginMessage(w, HandshakeType.ServerHello);
        WriteHelloPrefix(w, HelloRetryRequestRandom, legacySessionIdEcho, suite);
        var extensions = w.BeginVector(2);
        WriteSupportedVersions(w);
        w.WriteUInt16((ushort)ExtensionType.KeyShare);
        var keyShare = w.BeginVector(2);
        w.WriteUInt16((ushort)selectedGroup);
        w.EndVector(keyShare);
        if (!cookie.IsEmpty)
        {
            w.WriteUInt16((ushort)ExtensionType.Cookie);
            var cookieExtension = w.BeginVector(2);
            var cookieVector = w.BeginVector(2);
            w.WriteBytes(cookie);
            w.EndVector(cookieVector);
            w.EndVector(cookieExtension);
        }

        w.EndVector(extensions);
        w.EndVector(message);
        return w.ToArray();
    }

    /// <summary>
    /// EncryptedExtensions (§4.3.1): the selected ALPN protocol, our transport parameters (RFC 9001 §8.2) and, when a
    /// server_name selected the certificate, an empty server_name (RFC 6066 §3). early_data is never included, which
    /// is how a server declines 0-RTT.
    /// </summary>
    public static byte[] EncryptedExtensions(string applicationProtocol, ReadOnlySpan<byte> transportParameters, bool acknowledgeServerName)
    {
        var w = new TlsWriter(64 + transportParameters.Length);
        var message = BeginMessage(w, HandshakeType.EncryptedExtensions);
        var extensions = w.BeginVector(2);
        if (acknowledgeServerName)
        {
            w.WriteUInt16((ushort)ExtensionType.ServerName);
            w.WriteUInt16(0);
        }

        w.WriteUInt16((ushort)ExtensionType.ApplicationLayerProtocolNegotiation);
        var alpn = w.BeginVector(2);
        var list = w.BeginVector(2);
        var name = w.BeginVector(1);
        w.WriteBytes(Encoding.Latin1.GetBytes(applicationProtocol));
        w.EndVector(name);
        w.EndVector(list);
        w.EndVector(alpn);

        w.WriteUInt16((ushort)ExtensionType.QuicTransportParameters);
        var parameters = w.BeginVector(2);
        w.WriteBytes(transportParameters);
        w.EndVector(parameters);
        w.EndVector(extensions);
        w.EndVector(message);
        return w.ToArray();
    }

    /// <summary>Certificate (§4.4.2): an empty request context and one CertificateEntry per DER certificate, no extensions.</summary>
    public static byte[] Certificate(IReadOnlyList<byte[]> chain)
    {
        var w = new TlsWriter(64 + chain.Sum(c => c.Length + 5));
        var message = BeginMessage(w, HandshakeType.Certificate);
        w.WriteUInt8(0);
        var list = w.BeginVector(3);
        foreach (var der in chain)
        {
            var entry = w.BeginVector(3);
            w.WriteBytes(der);
            w.EndVector(entry);
            w.WriteUInt16(0);
        }

        w.EndVector(list);
        w.EndVector(message);
        return w.ToArray();
    }

    public static byte[] CertificateVerify(SignatureScheme scheme, ReadOnlySpan<byte> signature)
    {
        var w = new TlsWriter(16 + signature.Length);
        var message = BeginMessage(w, HandshakeType.CertificateVerify);
        w.WriteUInt16((ushort)scheme);
        var vector = w.BeginVector(2);
        w.WriteBytes(signature);
        w.EndVector(vector);
        w.EndVector(message);
        return w.ToArray();
    }

    public static byte[] Finished(ReadOnlySpan<byte> verifyData)
    {
        var w = new TlsWriter(4 + verifyData.Length);
        var message = BeginMessage(w, HandshakeType.Finished);
        w.WriteBytes(verifyData);
        w.EndVector(message);
        return w.ToArray();
    }

    /// <summary>Writes the type byte and opens the uint24 length; the caller closes it with EndVector.</summary>
    public static int BeginMessage(TlsWriter w, HandshakeType type)
    {
        w.WriteUInt8((byte)type);
        return w.BeginVector(3);
    }

    private static void WriteHelloPrefix(TlsWriter w, ReadOnlySpan<byte> random, ReadOnlySpan<byte> legacySessionIdEcho, QuicCipherSuite suite)
    {
        w.WriteUInt16(Tls12);
        w.WriteBytes(random);
        var sessionId = w.BeginVector(1);
        w.WriteBytes(legacySessionIdEcho);
        w.EndVector(sessionId);
        w.WriteUInt16((ushort)suite);
        w.WriteUInt8(0);
    }

    private static void WriteSupportedVersions(TlsWriter w)
    {
        // §4.2.1: in ServerHello the extension holds the single selected version.
        w.WriteUInt16((ushort)ExtensionType.SupportedVersions);
        w.WriteUInt16(2);
        w.WriteUInt16(Tls13);
    }
}
