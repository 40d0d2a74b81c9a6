using System.Diagnostics;
using Hyper.Quic.Connection;
using Hyper.Quic.Crypto;
using Hyper.Quic.Tests.Tls;
using Hyper.Quic.Tls;
using Xunit.Abstractions;

namespace Hyper.Quic.Tests.Connection;

public sealed class QuicConnectionHandshakeTests(ITestOutputHelper output)
{
    [Fact]
    public void Handshake_Completes_AndServerConfirmsWithHandshakeDone()
    {
        using var network = new QuicTestNetwork();
        network.Start();

        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();

        network.Server!.IsHandshakeComplete.Should().BeTrue();
        network.Server.IsAddressValidated.Should().BeTrue();
        network.ServerEvents.OfType<ConnectionEstablished>().Should().ContainSingle().Which.ApplicationProtocol.Should().Be("h3");
        network.Client.Tls.IsComplete.Should().BeTrue();
        network.Client.CloseReceived.Should().BeNull();
        // The server's transport parameters name the client's first DCID and the server's own SCID (RFC 9000 §7.3).
        var parameters = network.Client.Tls.ServerTransportParameters!;
        parameters.OriginalDestinationConnectionId!.Value.Span.ToArray().Should().Equal(network.Client.OriginalDestinationConnectionId);
        parameters.InitialSourceConnectionId!.Value.Should().Be(network.Server.SourceConnectionId);
        network.Client.DestinationConnectionId.Should().Equal(network.Server.SourceConnectionId.Span.ToArray());
    }

    [Fact]
    public void Handshake_ServerDatagramsWithInitialPackets_AreAtLeast1200Bytes()
    {
        using var network = new QuicTestNetwork();
        network.Start();
        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();

        // RFC 9000 §14.1: the first server datagram carries an ack-eliciting Initial (the ServerHello).
        network.Client.ReceivedDatagramSizes[0].Should().BeGreaterThanOrEqualTo(1200);
        network.Client.ReceivedDatagramSizes.Should().OnlyContain(size => size <= 1200);
    }

    [Theory]
    [InlineData(QuicCipherSuite.Aes128GcmSha256)]
    [InlineData(QuicCipherSuite.Aes256GcmSha384)]
    [InlineData(QuicCipherSuite.ChaCha20Poly1305Sha256)]
    public void Handshake_EverySuite_CarriesStreamData(QuicCipherSuite suite)
    {
        var client = new TestQuicClient(parameters => new TestTlsClient { TransportParameters = parameters, CipherSuites = [suite] });
        using var network = new QuicTestNetwork(client: client) { Echo = true };
        network.Start();
        network.RunUntil(() => client.HandshakeDoneReceived).Should().BeTrue();

        client.SendStream(0, "hello"u8, fin: true);
        network.RunUntil(() => client.Streams.TryGetValue(0, out var s) && s.IsComplete).Should().BeTrue();

        client.Tls.Suite.Should().Be(suite);
        client.Streams[0].Data.Should().Equal("hello"u8.ToArray());
    }

    [Fact]
    public void Handshake_ClientWithoutAcceptableShare_GetsHelloRetryRequestAndCompletes()
    {
        var client = new TestQuicClient(parameters => new TestTlsClient
        {
            TransportParameters = parameters,
            SupportedGroups = [NamedGroup.X25519, NamedGroup.Secp256r1],
            KeyShareGroups = [NamedGroup.Secp256r1],
        });
        var options = QuicTestNetwork.DefaultOptions();
        options = new QuicConnectionOptions
        {
            Tls = new TlsServerOptions
            {
                CertificateSelector = options.Tls.CertificateSelector,
                ApplicationProtocols = ["h3"],
                Groups = [NamedGroup.X25519],
            },
            StatelessResetKey = options.StatelessResetKey,
        };
        using var network = new QuicTestNetwork(options, client);
        network.Start();

        network.RunUntil(() => client.HandshakeDoneReceived).Should().BeTrue();
        client.Tls.ReceivedHelloRetryRequest.Should().BeTrue();
        client.Tls.Group.Should().Be(NamedGroup.X25519);
    }

    [Fact]
    public void Handshake_ClientWithUnservedAlpn_IsClosedWithCryptoError()
    {
        var client = new TestQuicClient(parameters => new TestTlsClient { TransportParameters = parameters, ApplicationProtocols = ["spdy/3"] });
        using var network = new QuicTestNetwork(client: client);
        network.Start();

        network.RunUntil(() => client.CloseReceived is not null).Should().BeTrue();

        // RFC 9001 §4.8: CRYPTO_ERROR 0x100 + no_application_protocol (120).
        client.CloseReceived!.Value.ErrorCode.Should().Be(0x100 + 120);
        client.CloseReceived.Value.IsApplication.Should().BeFalse();
        network.RunUntil(() => network.Server!.IsClosed).Should().BeTrue();
        network.ServerEvents.OfType<ConnectionTerminated>().Should().ContainSingle().Which.ErrorCode.Should().Be(0x100 + 120);
    }

    [Fact]
    public void Handshake_ClientHelloSpanningTwoPackets_FirstOneLost_CompletesAfterRetransmission()
    {
        // A 1216-byte share for a group the server does not implement (like Chromium's X25519MLKEM768) makes the
        // ClientHello span two Initial packets; the first is lost, so the server sees the second half first.
        var client = new TestQuicClient(parameters => new TestTlsClient
        {
            TransportParameters = parameters,
            ForeignKeyShares = [(0x11ec, new byte[1216])],
            SupportedGroups = [(NamedGroup)0x11ec, NamedGroup.X25519, NamedGroup.Secp256r1],
        });
        using var network = new QuicTestNetwork(client: client);
        network.DropToServer = (i, _) => i == 0;
        network.Start();

        network.DatagramsToServer.Should().Be(2);
        network.RunUntil(() => client.HandshakeDoneReceived).Should().BeTrue();
        client.Tls.Group.Should().Be(NamedGroup.X25519);
    }

    [Fact]
    public void Handshake_RsaCertificate_ServerFlightSpansDatagrams_AndSurvivesLosingOne()
    {
        var options = QuicTestNetwork.DefaultOptions();
        options = new QuicConnectionOptions
        {
            Tls = HandshakeHarness.DefaultOptions(new ServerCertificate(TestCertificates.Rsa)),
            StatelessResetKey = options.StatelessResetKey,
        };
        using var network = new QuicTestNetwork(options);
        network.DropToClient = (i, _) => i == 1;
        network.Start();

        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
        network.Client.Tls.ServerCertificate!.Subject.Should().Be("CN=rsa.localhost");
    }

    [Fact]
    public void Handshake_InMemory_Measured()
    {
        // Warm up the JIT and the certificate's key, then measure the time and bytes of complete handshakes.
        RunOne();
        const int count = 20;
        long bytesToClient = 0, bytesToServer = 0, datagrams = 0;
        var stopwatch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < count; i++)
        {
            var (network, elapsed) = RunOne();
            bytesToClient += network.BytesToClient;
            bytesToServer += network.BytesToServer;
            datagrams += network.DatagramsToClient + network.DatagramsToServer;
            network.Dispose();
            _ = elapsed;
        }
        var wall = stopwatch.Elapsed.TotalMilliseconds / count;
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / count;
        output.WriteLine($"handshake in memory (client and server together): {wall:F2} ms wall, {cpuMs:F2} ms CPU; " +
            $"server->client {bytesToClient / count} B, client->server {bytesToServer / count} B, {datagrams / (double)count:F1} datagrams");
        (bytesToClient / count).Should().BeLessThan(3 * 1200 * 2, "the server flight stays well inside the amplification budget");

        static (QuicTestNetwork, TimeSpan) RunOne()
        {
            var network = new QuicTestNetwork();
            var start = Stopwatch.GetTimestamp();
            network.Start();
            network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
            return (network, Stopwatch.GetElapsedTime(start));
        }
    }
}
