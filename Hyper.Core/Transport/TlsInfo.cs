using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Hyper.Core.Transport;

/// <summary>
/// What a TLS handshake settled, as the ASGI <c>tls</c> extension reports it (TLS version, cipher suite,
/// server name, client certificate chain).
/// </summary>
public sealed record TlsInfo(
    string? ApplicationProtocol,
    SslProtocols Protocol,
    TlsCipherSuite CipherSuite,
    string? ServerName,
    X509Certificate2? ClientCertificate,
    IReadOnlyList<X509Certificate2>? ClientCertificateChain = null)
{
    /// <summary>The certificate the server presented (chosen by SNI), for the ASGI <c>server_cert</c> entry.</summary>
    public X509Certificate2? ServerCertificate { get; init; }
}
