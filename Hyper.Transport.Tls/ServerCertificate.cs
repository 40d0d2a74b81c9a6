using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Hyper.Transport.Tls;

/// <summary>
/// One loaded certificate/key pair, ready for handshakes: the leaf (with its private key), the context SslStream
/// sends (leaf plus intermediates, built once rather than per handshake), and the host names SNI matches it by.
/// </summary>
internal sealed record ServerCertificate(X509Certificate2 Leaf, SslStreamCertificateContext Context, IReadOnlyList<string> ServerNames);
