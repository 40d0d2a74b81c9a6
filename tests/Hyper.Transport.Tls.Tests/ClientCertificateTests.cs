using Hyper.Core.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hyper.Transport.Tls.Tests;

public sealed class ClientCertificateTests : IDisposable
{
    private readonly TlsFixture _tls = new();

    private TlsHandshaker Create(string mode) =>
        new(_tls.Options with { VerifyMode = mode, CaCerts = _tls.CaFile }, NullLoggerFactory.Instance, TimeProvider.System,
            new CertificateStore(_tls.Options.AllCertificates, null, NullLogger.Instance, TimeProvider.System, watchFiles: false));

    // With TLS 1.3 the client finishes before the server has judged its certificate: the rejection then shows as
    // the server's null result and a failed first read on the client.
    private static async Task<bool> ClientCanReadAsync(System.Net.Security.SslStream client)
    {
        try
        {
            var buffer = new byte[1];
            return await client.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5)) > 0;
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Required_TrustedClientCertificate_IsAcceptedAndReported()
    {
        using var handshaker = Create("required");
        var clientCert = TestCertificates.CreateLeaf(_tls.Ca, [], client: true);

        var (server, _, error) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client(clientCertificate: clientCert));

        error.Should().BeNull();
        server.Should().NotBeNull();
        server!.Info.ClientCertificate!.Thumbprint.Should().Be(clientCert.Thumbprint);
        server.Info.ClientCertificateChain!.Select(c => c.Thumbprint).Should().Equal(clientCert.Thumbprint, _tls.Ca.Thumbprint);
    }

    [Fact]
    public async Task Required_NoClientCertificate_IsRejected()
    {
        using var handshaker = Create("required");

        var (server, client, error) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client());

        server.Should().BeNull();
        if (error is null) (await ClientCanReadAsync(client)).Should().BeFalse();
    }

    [Theory]
    [InlineData("required")]
    [InlineData("optional")]
    public async Task UntrustedClientCertificate_IsRejected(string mode)
    {
        using var handshaker = Create(mode);
        var stranger = TestCertificates.CreateLeaf(TestCertificates.CreateCa("Stranger CA"), [], client: true);

        var (server, client, error) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client(clientCertificate: stranger));

        server.Should().BeNull();
        if (error is null) (await ClientCanReadAsync(client)).Should().BeFalse();
    }

    [Fact]
    public async Task Optional_NoClientCertificate_IsAccepted()
    {
        using var handshaker = Create("optional");

        var (server, _, error) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client());

        error.Should().BeNull();
        server.Should().NotBeNull();
        server!.Info.ClientCertificate.Should().BeNull();
    }

    [Fact]
    public async Task Required_ExpiredClientCertificate_IsRejected()
    {
        using var handshaker = Create("required");
        var expired = TestCertificates.CreateLeaf(_tls.Ca, [], client: true,
            notBefore: DateTimeOffset.UtcNow.AddDays(-10), notAfter: DateTimeOffset.UtcNow.AddDays(-1));

        var (server, client, error) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client(clientCertificate: expired));

        server.Should().BeNull();
        if (error is null) (await ClientCanReadAsync(client)).Should().BeFalse();
    }

    public void Dispose() => _tls.Dispose();
}
