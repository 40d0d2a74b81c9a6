using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Hyper.Core.Transport;

namespace Hyper.Core.Streams;

/// <summary>
/// The ASGI <c>tls</c> extension (ASGI TLS extension spec, version 0.2): what the handshake of the request's
/// connection settled, with the spec's key names and value forms: <c>server_cert</c> (PEM or null),
/// <c>client_cert_chain</c> (PEM strings, the client's certificate first; empty without one),
/// <c>client_cert_name</c> (the subject as an RFC 4514 string, or null), <c>client_cert_error</c> (null: a
/// certificate that did not verify never gets this far, the handshake rejects it), <c>tls_version</c> (the wire
/// value, e.g. 0x0304 for TLS 1.3) and <c>cipher_suite</c> (the IANA 16-bit value). PEM text is made on first read
/// of its key, since most applications never look.
/// </summary>
public sealed class TlsScopeExtension(TlsInfo info) : IReadOnlyDictionary<string, object?>
{
    /// <summary>The extension's name in <c>scope["extensions"]</c>.</summary>
    public const string Key = "tls";

    private static readonly string[] Names = ["server_cert", "client_cert_chain", "client_cert_name", "client_cert_error", "tls_version", "cipher_suite"];
    private string? _serverPem;
    private IReadOnlyList<string>? _chainPem;

    /// <summary>The handshake's details as Hyper keeps them (typed certificates rather than PEM).</summary>
    public TlsInfo Info => info;

    /// <summary>The TLS version as its wire value (RFC 8446 §4.1.2 legacy_version / supported_versions).</summary>
    public int TlsVersion => info.Protocol switch
    {
        SslProtocols.Tls13 => 0x0304,
        SslProtocols.Tls12 => 0x0303,
#pragma warning disable CS0618, SYSLIB0039 // old versions are reported, never negotiated by Hyper
        SslProtocols.Tls11 => 0x0302,
        SslProtocols.Tls => 0x0301,
#pragma warning restore CS0618, SYSLIB0039
        _ => 0,
    };

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => Names;
    public IEnumerable<object?> Values => Names.Select(n => this[n]);
    public int Count => Names.Length;

    public bool ContainsKey(string key) => Names.Contains(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        value = key switch
        {
            "server_cert" => info.ServerCertificate is { } server ? _serverPem ??= server.ExportCertificatePem() : null,
            "client_cert_chain" => _chainPem ??= ClientChain(),
            "client_cert_name" => info.ClientCertificate?.SubjectName.Name,
            "client_cert_error" => null,
            "tls_version" => TlsVersion,
            // TlsCipherSuite's values are the IANA code points (RFC 8446 §B.4, the TLS Cipher Suites registry).
            "cipher_suite" => (int)info.CipherSuite,
            _ => null,
        };
        return ContainsKey(key);
    }

    private IReadOnlyList<string> ClientChain()
    {
        if (info.ClientCertificate is not { } client) return [];
        IEnumerable<X509Certificate2> chain = info.ClientCertificateChain is { Count: > 0 } given ? given : [client];
        return chain.Select(c => c.ExportCertificatePem()).ToArray();
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        foreach (var name in Names) yield return new(name, this[name]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
