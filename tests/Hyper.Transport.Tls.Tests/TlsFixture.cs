using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;

namespace Hyper.Transport.Tls.Tests;

/// <summary>A CA, a server pair on disk signed by it, and helpers to handshake a client against a <see cref="TlsHandshaker"/>.</summary>
public sealed class TlsFixture : IDisposable
{
    public static readonly string[] BothAlpn = ["h2", "http/1.1"];

    public TlsFixture()
    {
        Ca = TestCertificates.CreateCa();
        ServerLeaf = TestCertificates.CreateLeaf(Ca, ["localhost", "example.test"]);
        (CertFile, KeyFile) = TestCertificates.WritePem(ServerLeaf, Dir.Path, "server");
        CaFile = TestCertificates.WriteCaBundle(Dir.Path, Ca);
    }

    public TempDirectory Dir { get; } = new();
    public X509Certificate2 Ca { get; }
    public X509Certificate2 ServerLeaf { get; }
    public string CertFile { get; }
    public string KeyFile { get; }
    public string CaFile { get; }

    public TlsOptions Options => new() { CertFiles = [CertFile], KeyFiles = [KeyFile] };

    /// <summary>Client options trusting <see cref="Ca"/> only, for <paramref name="host"/>.</summary>
    public SslClientAuthenticationOptions Client(string host = "localhost", string[]? alpn = null, X509Certificate2? clientCertificate = null,
        SslProtocols protocols = SslProtocols.None)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(Ca);
        return new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ApplicationProtocols = (alpn ?? ["http/1.1"]).Select(a => new SslApplicationProtocol(a)).ToList(),
            CertificateChainPolicy = policy,
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            EnabledSslProtocols = protocols,
        };
    }

    /// <summary>Runs both sides of a handshake; the client's failure is returned rather than thrown.</summary>
    internal static async Task<(SecureConnection? Server, SslStream Client, Exception? ClientError)> HandshakeAsync(
        TlsHandshaker handshaker, InMemoryConnection connection, SslClientAuthenticationOptions client, IReadOnlyList<string>? serverAlpn = null)
    {
        var server = handshaker.HandshakeAsync(connection, serverAlpn ?? BothAlpn, CancellationToken.None).AsTask();
        var ssl = new SslStream(connection.ClientStream);
        Exception? clientError = null;
        try
        {
            await ssl.AuthenticateAsClientAsync(client).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            clientError = ex;
        }
        return (await server.WaitAsync(TimeSpan.FromSeconds(10)), ssl, clientError);
    }

    public void Dispose() => Dir.Dispose();
}
