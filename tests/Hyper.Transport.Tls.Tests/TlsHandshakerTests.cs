using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using Hyper.Core.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hyper.Transport.Tls.Tests;

public sealed class TlsHandshakerTests : IDisposable
{
    private readonly TlsFixture _tls = new();

    private TlsHandshaker Create(TlsOptions? options = null, TimeProvider? time = null) =>
        new(options ?? _tls.Options, NullLoggerFactory.Instance, time ?? TimeProvider.System,
            new CertificateStore((options ?? _tls.Options).AllCertificates, null, NullLogger.Instance, time ?? TimeProvider.System, watchFiles: false));

    [Fact]
    public async Task Handshake_Http11Client_NegotiatesAlpnAndCarriesBytesBothWays()
    {
        using var handshaker = Create();
        var connection = new InMemoryConnection();

        var (server, client, error) = await TlsFixture.HandshakeAsync(handshaker, connection, _tls.Client());

        error.Should().BeNull();
        server.Should().NotBeNull();
        server!.Info.ApplicationProtocol.Should().Be("http/1.1");
        client.NegotiatedApplicationProtocol.Should().Be(SslApplicationProtocol.Http11);
        await client.WriteAsync("ping"u8.ToArray());
        var read = await server.Connection.Transport.Input.ReadAtLeastAsync(4).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Encoding.ASCII.GetString(read.Buffer.FirstSpan[..4]).Should().Be("ping");
        server.Connection.Transport.Input.AdvanceTo(read.Buffer.GetPosition(4));
        await server.Connection.Transport.Output.WriteAsync("pong"u8.ToArray());
        var buffer = new byte[4];
        await client.ReadExactlyAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Encoding.ASCII.GetString(buffer).Should().Be("pong");
    }

    [Fact]
    public async Task Handshake_Completed_FillsTlsInfo()
    {
        using var handshaker = Create();

        var (server, _, _) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client("example.test"));

        var info = server!.Info;
        info.Protocol.Should().BeOneOf(SslProtocols.Tls12, SslProtocols.Tls13);
        info.CipherSuite.Should().NotBe(default(TlsCipherSuite));
        info.ServerName.Should().Be("example.test");
        info.ServerCertificate!.Thumbprint.Should().Be(_tls.ServerLeaf.Thumbprint);
        info.ClientCertificate.Should().BeNull();
    }

    [Fact]
    public async Task Handshake_ClientOffersBoth_ServerOrderFromAlpnProtocolsWins()
    {
        using var handshaker = Create(_tls.Options with { AlpnProtocols = ["http/1.1", "h2"] });

        var (server, _, _) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client(alpn: ["h2", "http/1.1"]));

        server!.Info.ApplicationProtocol.Should().Be("http/1.1");
    }

    [Fact]
    public async Task Handshake_AlpnProtocolsUnset_TheServersGivenOrderWins()
    {
        // Core gives the protocol registry's order; with alpn_protocols unset that order is offered as it is.
        using var handshaker = Create();

        var (server, _, _) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client(alpn: ["h2", "http/1.1"]), ["http/1.1", "h2"]);

        server!.Info.ApplicationProtocol.Should().Be("http/1.1");
    }

    [Fact]
    public async Task Handshake_ServerWithoutH2_NeverNegotiatesH2()
    {
        using var handshaker = Create();

        var (server, _, _) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client(alpn: ["h2", "http/1.1"]), ["http/1.1"]);

        server!.Info.ApplicationProtocol.Should().Be("http/1.1");
    }

    [Fact]
    public async Task Handshake_SniName_SelectsTheMatchingCertificate()
    {
        var other = TestCertificates.CreateLeaf(_tls.Ca, ["other.test"], TestCertificates.KeyKind.Rsa);
        var (cert, key) = TestCertificates.WritePem(other, _tls.Dir.Path, "other");
        using var handshaker = Create(_tls.Options with { CertFiles = [_tls.CertFile, cert], KeyFiles = [_tls.KeyFile, key] });

        var (server, client, error) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client("other.test"));

        error.Should().BeNull();
        client.RemoteCertificate!.GetCertHashString().Should().Be(other.Thumbprint);
        server!.Info.ServerName.Should().Be("other.test");
    }

    [Fact]
    public async Task Handshake_MinVersion13_RefusesTls12Client()
    {
        using var handshaker = Create(_tls.Options with { MinVersion = "1.3" });

        var (server, _, error) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client(protocols: SslProtocols.Tls12));

        server.Should().BeNull();
        error.Should().NotBeNull();
    }

    [Fact]
    public async Task Handshake_CiphersOption_RestrictsTheTls12Suite()
    {
        using var handshaker = Create(_tls.Options with { Ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384" });

        var (server, _, error) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client(protocols: SslProtocols.Tls12));

        error.Should().BeNull();
        server!.Info.CipherSuite.Should().Be(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384);
    }

    [Fact]
    public async Task Handshake_CiphersClientCannotMeet_Fails()
    {
        // An ECDSA certificate cannot serve an RSA-authenticated suite: nothing is left to agree on.
        using var handshaker = Create(_tls.Options with { Ciphers = "ECDHE-RSA-AES128-GCM-SHA256" });

        var (server, _, error) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client(protocols: SslProtocols.Tls12));

        server.Should().BeNull();
        error.Should().NotBeNull();
    }

    [Fact]
    public async Task Handshake_SilentClient_DroppedWhenTimeoutPasses()
    {
        var time = new FakeTimeProvider();
        using var handshaker = Create(_tls.Options with { HandshakeTimeout = TimeSpan.FromSeconds(10) }, time);
        var connection = new InMemoryConnection();

        var pending = handshaker.HandshakeAsync(connection, TlsFixture.BothAlpn, CancellationToken.None).AsTask();
        await Task.Delay(50);
        pending.IsCompleted.Should().BeFalse();
        handshaker.PendingHandshakes.Should().Be(1);
        time.Advance(TimeSpan.FromSeconds(10));

        (await pending.WaitAsync(TimeSpan.FromSeconds(5))).Should().BeNull();
        connection.IsAborted.Should().BeTrue();
        connection.Disposed.IsCompleted.Should().BeTrue();
        handshaker.PendingHandshakes.Should().Be(0);
    }

    [Fact]
    public async Task Handshake_BeyondConcurrentLimit_ClosedAtOnce()
    {
        var time = new FakeTimeProvider();
        using var handshaker = Create(_tls.Options with { MaxConcurrentHandshakes = 1 }, time);
        var first = handshaker.HandshakeAsync(new InMemoryConnection(), TlsFixture.BothAlpn, CancellationToken.None).AsTask();
        var refused = new InMemoryConnection();

        var second = await handshaker.HandshakeAsync(refused, TlsFixture.BothAlpn, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        second.Should().BeNull();
        refused.IsAborted.Should().BeTrue();
        first.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(10));
        (await first.WaitAsync(TimeSpan.FromSeconds(5))).Should().BeNull();
    }

    [Fact]
    public async Task Handshake_ServerShutdownToken_EndsPendingHandshake()
    {
        using var handshaker = Create();
        using var shutdown = new CancellationTokenSource();
        var connection = new InMemoryConnection();

        var pending = handshaker.HandshakeAsync(connection, TlsFixture.BothAlpn, shutdown.Token).AsTask();
        shutdown.Cancel();

        (await pending.WaitAsync(TimeSpan.FromSeconds(5))).Should().BeNull();
        connection.Disposed.IsCompleted.Should().BeTrue();
    }

    [Fact]
    public async Task Handshake_GarbageInsteadOfClientHello_FailsWithoutThrowing()
    {
        using var handshaker = Create();
        var connection = new InMemoryConnection();

        var pending = handshaker.HandshakeAsync(connection, TlsFixture.BothAlpn, CancellationToken.None).AsTask();
        await connection.ClientStream.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        (await pending.WaitAsync(TimeSpan.FromSeconds(5))).Should().BeNull();
    }

    [Fact]
    public async Task Handshake_AfterReload_NewHandshakesGetNewCertificateAndOpenConnectionKeepsWorking()
    {
        using var handshaker = Create();
        var (before, beforeClient, _) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client());
        var renewed = TestCertificates.CreateLeaf(_tls.Ca, ["localhost"]);
        File.WriteAllText(_tls.CertFile, renewed.ExportCertificatePem());
        File.WriteAllText(_tls.KeyFile, TestCertificates.KeyPem(renewed));

        handshaker.Certificates!.Reload().Should().BeTrue();
        var (_, afterClient, error) = await TlsFixture.HandshakeAsync(handshaker, new InMemoryConnection(), _tls.Client());

        error.Should().BeNull();
        afterClient.RemoteCertificate!.GetCertHashString().Should().Be(renewed.Thumbprint);
        beforeClient.RemoteCertificate!.GetCertHashString().Should().Be(_tls.ServerLeaf.Thumbprint);
        await before!.Connection.Transport.Output.WriteAsync("still"u8.ToArray());
        var buffer = new byte[5];
        await beforeClient.ReadExactlyAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Encoding.ASCII.GetString(buffer).Should().Be("still");
    }

    public void Dispose() => _tls.Dispose();
}
