using System.Text;

namespace Hyper.Quic.Tls;

/// <summary>
/// A parsed ClientHello (RFC 8446 §4.1.2) with the extensions a QUIC server acts on. Unknown extensions, GREASE
/// values and the TLS 1.2 leftovers browsers still send are skipped; structural errors are decode_error and repeated
/// extensions illegal_parameter (§4.2).
/// </summary>
public sealed class ClientHello
{
    private const ushort Tls12 = 0x0303;

    public byte[] Random { get; private init; } = [];

    public byte[] LegacySessionId { get; private init; } = [];

    public IReadOnlyList<ushort> CipherSuites { get; private init; } = [];

    public string? ServerName { get; private set; }

    /// <summary>supported_versions, or null when absent (then the client speaks TLS 1.2 or older).</summary>
    public IReadOnlyList<ushort>? SupportedVersions { get; private set; }

    public IReadOnlyList<ushort>? SupportedGroups { get; private set; }

    public IReadOnlyList<KeyShareEntry>? KeyShares { get; private set; }

    public IReadOnlyList<ushort>? SignatureAlgorithms { get; private set; }

    public IReadOnlyList<string>? ApplicationProtocols { get; private set; }

    public byte[]? QuicTransportParameters { get; private set; }

    public IReadOnlyList<byte>? PskKeyExchangeModes { get; private set; }

    public bool HasPreSharedKey { get; private set; }

    /// <summary>The client asked for 0-RTT; Hyper never accepts it, it only leaves early_data out of EncryptedExtensions.</summary>
    public bool OffersEarlyData { get; private set; }

    public byte[]? Cookie { get; private set; }

    /// <summary>Parses the body of a ClientHello handshake message (without the 4-byte handshake header).</summary>
    public static ClientHello Parse(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        var legacyVersion = reader.ReadUInt16();
        // RFC 8446 §4.1.2: legacy_version is 0x0303 in a TLS 1.3 ClientHello; the real version is in supported_versions.
        if (legacyVersion < Tls12)
            throw new TlsAlertException(TlsAlert.ProtocolVersion, $"ClientHello legacy_version 0x{legacyVersion:x4}.");
        var random = reader.ReadBytes(32).ToArray();
        var sessionId = reader.ReadVector8();
        if (sessionId.Length > 32)
            throw new TlsAlertException(TlsAlert.DecodeError, "legacy_session_id longer than 32 bytes.");
        var suites = ReadUInt16List(reader.ReadVector16(minLength: 2), "cipher_suites");
        var compression = reader.ReadVector8(minLength: 1);
        // §4.1.2: exactly one compression method, null.
        if (compression.Length != 1 || compression[0] != 0)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "legacy_compression_methods must be the single null method.");

        var hello = new ClientHello { Random = random, LegacySessionId = sessionId.ToArray(), CipherSuites = suites };
        if (reader.IsEmpty)
            return hello; // A hello without extensions is pre-TLS 1.3; the caller rejects it on supported_versions.

        var extensions = new TlsReader(reader.ReadVector16());
        reader.ExpectEnd("ClientHello");
        var seen = new HashSet<ushort>();
        while (!extensions.IsEmpty)
        {
            var type = extensions.ReadUInt16();
            var data = extensions.ReadVector16();
            if (!seen.Add(type))
                throw new TlsAlertException(TlsAlert.IllegalParameter, $"Extension {type} appears twice.");
            // §4.2.11: pre_shared_key must be the last extension.
            if (hello.HasPreSharedKey)
                throw new TlsAlertException(TlsAlert.IllegalParameter, "pre_shared_key is not the last extension.");
            hello.ReadExtension((ExtensionType)type, data);
        }

        return hello;
    }

    private void ReadExtension(ExtensionType type, ReadOnlySpan<byte> data)
    {
        var reader = new TlsReader(data);
        switch (type)
        {
            case ExtensionType.ServerName:
                ServerName = ReadServerName(ref reader);
                break;
            case ExtensionType.SupportedVersions:
                SupportedVersions = ReadUInt16List(reader.ReadVector8(minLength: 2), "supported_versions");
                break;
            case ExtensionType.SupportedGroups:
                SupportedGroups = ReadUInt16List(reader.ReadVector16(minLength: 2), "supported_groups");
                break;
            case ExtensionType.SignatureAlgorithms:
                SignatureAlgorithms = ReadUInt16List(reader.ReadVector16(minLength: 2), "signature_algorithms");
                break;
            case ExtensionType.KeyShare:
                KeyShares = ReadKeyShares(reader.ReadVector16());
                break;
            case ExtensionType.ApplicationLayerProtocolNegotiation:
                ApplicationProtocols = ReadProtocolNames(reader.ReadVector16(minLength: 2));
                break;
            case ExtensionType.QuicTransportParameters:
                QuicTransportParameters = data.ToArray();
                return; // The whole extension body is the transport parameter list (RFC 9001 §8.2).
            case ExtensionType.PskKeyExchangeModes:
                PskKeyExchangeModes = reader.ReadVector8(minLength: 1).ToArray();
                break;
            case ExtensionType.PreSharedKey:
                HasPreSharedKey = true; // Not parsed: Hyper issues no tickets, so no PSK can be accepted.
                return;
            case ExtensionType.EarlyData:
                OffersEarlyData = true;
                break;
            case ExtensionType.Cookie:
                Cookie = reader.ReadVector16(minLength: 1).ToArray();
                break;
            default:
                return; // Unknown and GREASE extensions are ignored (§4.2, RFC 8701).
        }

        reader.ExpectEnd($"extension {type}");
    }

    private static string? ReadServerName(ref TlsReader reader)
    {
        // RFC 6066 §3: server_name_list<1..2^16-1> of (name_type, HostName<1..2^16-1>); one host_name at most.
        var list = new TlsReader(reader.ReadVector16(minLength: 1));
        string? hostName = null;
        while (!list.IsEmpty)
        {
            var nameType = list.ReadUInt8();
            var name = list.ReadVector16(minLength: 1);
            if (nameType != 0)
                continue;
            if (hostName is not null)
                throw new TlsAlertException(TlsAlert.IllegalParameter, "Two host_name entries in server_name.");
            foreach (var b in name)
            {
                // A DNS host name in ASCII, without the trailing dot; anything else cannot select a certificate.
                if (b is < 0x21 or > 0x7e)
                    throw new TlsAlertException(TlsAlert.DecodeError, "server_name is not an ASCII host name.");
            }

            hostName = Encoding.ASCII.GetString(name);
        }

        return hostName;
    }

    private static List<KeyShareEntry> ReadKeyShares(ReadOnlySpan<byte> data)
    {
        var reader = new TlsReader(data);
        var shares = new List<KeyShareEntry>();
        while (!reader.IsEmpty)
        {
            var group = reader.ReadUInt16();
            var key = reader.ReadVector16(minLength: 1);
            // §4.2.8: each group at most once.
            if (shares.Exists(s => s.Group == group))
                throw new TlsAlertException(TlsAlert.IllegalParameter, $"Two key shares for group 0x{group:x4}.");
            shares.Add(new KeyShareEntry(group, key.ToArray()));
        }

        return shares;
    }

    private static List<string> ReadProtocolNames(ReadOnlySpan<byte> data)
    {
        // RFC 7301 §3.1: ProtocolName protocol_name_list<2..2^16-1>, each ProtocolName<1..2^8-1>.
        var reader = new TlsReader(data);
        var names = new List<string>();
        while (!reader.IsEmpty)
            names.Add(Encoding.Latin1.GetString(reader.ReadVector8(minLength: 1))); // Latin-1 keeps every byte distinct.
        return names;
    }

    private static List<ushort> ReadUInt16List(ReadOnlySpan<byte> data, string what)
    {
        if (data.Length % 2 != 0)
            throw new TlsAlertException(TlsAlert.DecodeError, $"{what} has an odd length.");
        var reader = new TlsReader(data);
        var list = new List<ushort>(data.Length / 2);
        while (!reader.IsEmpty)
            list.Add(reader.ReadUInt16());
        return list;
    }
}
