using System.Buffers.Binary;
using System.Net;
using Hyper.Quic.AddressValidation;
using Hyper.Quic.Connection;
using Hyper.Quic.Endpoint;
using Hyper.Quic.Frames;
using Hyper.Quic.Packets;
using Hyper.Quic.Tests.Connection;
using Hyper.Quic.Tests.Tls;
using Hyper.Quic.Tls;

namespace Hyper.Quic.Tests.Endpoint;

public sealed class QuicEndpointTests
{
    private static byte[] FirstInitial(TestQuicClient client)
    {
        client.Start();
        return client.Flush(0).Single();
    }

    [Fact]
    public void Handshake_ThroughTheEndpoint_RoutesByConnectionId_AndReportsEveryEvent()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions());
        var client = network.AddClient(EndpointTestNetwork.Address(1));

        network.RunUntil(() => client.HandshakeDoneReceived).Should().BeTrue();

        network.Endpoint.ConnectionCount.Should().Be(1);
        network.Endpoint.HandshakesInProgress.Should().Be(0);
        var events = network.Events.Select(e => e.Event).ToList();
        events[0].Should().BeOfType<ConnectionAccepted>();
        events.OfType<ConnectionEstablished>().Should().ContainSingle();
        var connection = network.Events[0].Connection;
        // The client's original DCID, plus every ID the connection issued (its handshake SCID among them).
        network.Endpoint.RoutedConnectionIdCount.Should().Be(1 + connection.LocalConnectionIds.Count());
        client.DestinationConnectionId.Should().Equal(connection.SourceConnectionId.Span.ToArray());
    }

    [Fact]
    public void TwoClients_GetTwoConnections_AndEachOnlyItsOwnDatagrams()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions());
        var first = network.AddClient(EndpointTestNetwork.Address(1));
        var second = network.AddClient(EndpointTestNetwork.Address(2));

        network.RunUntil(() => first.HandshakeDoneReceived && second.HandshakeDoneReceived).Should().BeTrue();
        first.SendStream(0, "one"u8, fin: true);
        second.SendStream(0, "two"u8, fin: true);
        network.RunUntil(() => network.Events.Count(e => e.Event is StreamDataAvailable) >= 2).Should().BeTrue();

        network.Endpoint.ConnectionCount.Should().Be(2);
        var read = new Dictionary<IPEndPoint, string>();
        foreach (var e in network.Events.Where(e => e.Event is StreamDataAvailable))
        {
            var buffer = new byte[16];
            var n = e.Connection.Read(0, buffer, out _);
            read[e.Connection.RemoteEndPoint] = System.Text.Encoding.ASCII.GetString(buffer, 0, n);
        }
        read[EndpointTestNetwork.Address(1)].Should().Be("one");
        read[EndpointTestNetwork.Address(2)].Should().Be("two");
    }

    [Fact]
    public void InitialBelow1200Bytes_IsDropped_FedEveryPrefixOfAValidOne()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions());
        using var client = new TestQuicClient();
        var initial = FirstInitial(client);
        initial.Length.Should().BeGreaterThanOrEqualTo(1200);

        // RFC 9000 §14.1; every truncation of a real Initial, byte by byte, creates nothing and answers nothing.
        for (var length = 0; length < initial.Length; length++) network.Inject(initial[..length], EndpointTestNetwork.Address(1));

        network.Endpoint.ConnectionCount.Should().Be(0);
        network.Sent.Should().BeEmpty();
        network.Endpoint.DatagramsDropped.Should().Be(initial.Length);

        network.Inject(initial, EndpointTestNetwork.Address(1));
        network.Endpoint.ConnectionCount.Should().Be(1);
    }

    [Fact]
    public void InitialWithADestinationIdShorterThan8Bytes_IsDropped()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions());
        var datagram = new byte[1200];
        var length = PacketHeaderWriter.WriteLongHeader(datagram, PacketType.Initial, QuicVersion.Version1, [1, 2, 3, 4, 5, 6, 7], [9, 9], [],
            0, 4, 1100, out _);
        length.Should().BeLessThan(1200);

        network.Inject(datagram, EndpointTestNetwork.Address(1));

        network.Endpoint.ConnectionCount.Should().Be(0);
        network.Sent.Should().BeEmpty();
    }

    [Theory]
    [InlineData(0x0000_0002u)]
    [InlineData(0x1a2a_3a4au)]
    [InlineData(0xff00_001du)]
    public void UnknownVersion_IsAnsweredWithVersionNegotiation_ListingVersion1(uint version)
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions());
        var datagram = UnknownVersionDatagram(version, dcid: [1, 2, 3, 4, 5, 6, 7, 8, 9], scid: [7, 7, 7]);

        network.Inject(datagram, EndpointTestNetwork.Address(1));

        var (answer, remote) = network.Sent.Should().ContainSingle().Subject;
        remote.Should().Be(EndpointTestNetwork.Address(1));
        answer.Length.Should().BeLessThan(datagram.Length);
        PacketHeaderParser.TryParse(answer, 8, out var header).Should().BeTrue();
        header.Type.Should().Be(PacketType.VersionNegotiation);
        // RFC 9000 §17.2.1: the client's connection IDs, swapped.
        header.DestinationConnectionId.ToArray().Should().Equal(7, 7, 7);
        header.SourceConnectionId.ToArray().Should().Equal(1, 2, 3, 4, 5, 6, 7, 8, 9);
        var versions = new List<uint>();
        for (var i = 0; i < header.Token.Length / 4; i++) versions.Add(VersionNegotiationPacket.ReadVersion(header.Token, i));
        versions.Should().Contain(QuicVersion.Version1);
        versions.Should().Contain(v => QuicVersion.IsReservedForNegotiation(v));
        versions.Should().NotContain(version);
        network.Endpoint.VersionNegotiationsSent.Should().Be(1);
        network.Endpoint.ConnectionCount.Should().Be(0);
    }

    [Fact]
    public void UnknownVersion_InvariantConnectionIdsLongerThan20Bytes_AreEchoed()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions());
        var dcid = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();
        network.Inject(UnknownVersionDatagram(0x0000_0002, dcid, [1]), EndpointTestNetwork.Address(1));

        PacketHeaderParser.TryParse(network.Sent.Single().Datagram, 8, out var header).Should().BeTrue();
        header.SourceConnectionId.ToArray().Should().Equal(dcid);
    }

    [Fact]
    public void UnknownVersion_InASmallDatagram_OrAVersionNegotiationPacket_GetsNoAnswer()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions());
        network.Inject(UnknownVersionDatagram(2, [1, 2, 3, 4, 5, 6, 7, 8], [1])[..1199], EndpointTestNetwork.Address(1));
        var negotiation = new byte[1200];
        VersionNegotiationPacket.Write(negotiation, [1], [1, 2, 3, 4, 5, 6, 7, 8], [QuicVersion.Version1], 0);
        network.Inject(negotiation, EndpointTestNetwork.Address(1));

        network.Sent.Should().BeEmpty();
        network.Endpoint.DatagramsDropped.Should().Be(2);
    }

    [Fact]
    public void RetryAlways_FirstInitialGetsARetry_AndTheClientThatFollowsItCompletes()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions(QuicRetryMode.Always));
        var client = network.AddClient(EndpointTestNetwork.Address(1));
        var original = client.OriginalDestinationConnectionId;

        network.RunUntil(() => client.HandshakeDoneReceived).Should().BeTrue();

        var retry = network.Sent[0].Datagram;
        PacketHeaderParser.TryParse(retry, 8, out var header).Should().BeTrue();
        header.Type.Should().Be(PacketType.Retry);
        header.DestinationConnectionId.ToArray().Should().Equal(client.SourceConnectionId);
        RetryPacket.HasValidIntegrityTag(retry, original).Should().BeTrue();
        var retrySource = header.SourceConnectionId.ToArray();
        network.Endpoint.RetriesSent.Should().Be(1);

        // RFC 9000 §7.3: the server proves it sent the Retry.
        var parameters = client.Tls.ServerTransportParameters!;
        parameters.OriginalDestinationConnectionId!.Value.Span.ToArray().Should().Equal(original);
        parameters.RetrySourceConnectionId!.Value.Span.ToArray().Should().Equal(retrySource);
        var connection = network.Events[0].Connection;
        connection.IsAddressValidated.Should().BeTrue("RFC 9000 §8.1.2: a valid Retry token validates the address");
    }

    [Fact]
    public void RetryToken_Tampered_OrFromAnotherAddress_IsClosedWithInvalidToken()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions(QuicRetryMode.Always)) { FollowRetry = false };
        using var client = new TestQuicClient();
        network.Inject(FirstInitial(client), EndpointTestNetwork.Address(1));
        PacketHeaderParser.TryParse(network.Sent.Single().Datagram, 8, out var retry).Should().BeTrue();
        var retrySource = retry.SourceConnectionId.ToArray();
        var token = retry.Token.ToArray();

        // The right token from another port.
        var moved = new TestQuicClient();
        network.Clients[EndpointTestNetwork.Address(2)] = moved;
        moved.Start();
        moved.AcceptRetry(retrySource, token);
        network.Inject(moved.Flush(network.Now).Single(), EndpointTestNetwork.Address(2));
        moved.CloseReceived!.Value.ErrorCode.Should().Be((ulong)QuicTransportErrorCode.InvalidToken);

        // A token with one bit flipped, from the right address.
        token[20] ^= 1;
        client.AcceptRetry(retrySource, token);
        network.Clients[EndpointTestNetwork.Address(1)] = client;
        network.Inject(client.Flush(network.Now).Single(), EndpointTestNetwork.Address(1));
        client.CloseReceived!.Value.ErrorCode.Should().Be((ulong)QuicTransportErrorCode.InvalidToken);

        network.Endpoint.InvalidTokens.Should().Be(2);
        network.Endpoint.ConnectionCount.Should().Be(0);
    }

    [Fact]
    public void RetryToken_PastItsLifetime_IsClosedWithInvalidToken()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions(QuicRetryMode.Always)) { FollowRetry = false };
        using var client = new TestQuicClient();
        network.Clients[EndpointTestNetwork.Address(1)] = client;
        network.Inject(FirstInitial(client), EndpointTestNetwork.Address(1));
        PacketHeaderParser.TryParse(network.Sent.Single().Datagram, 8, out var retry).Should().BeTrue();
        client.AcceptRetry(retry.SourceConnectionId.ToArray(), retry.Token.ToArray());

        network.Now += (long)network.Options.RetryTokenLifetime.TotalMicroseconds + 1;
        network.Inject(client.Flush(network.Now).Single(), EndpointTestNetwork.Address(1));

        client.CloseReceived!.Value.ErrorCode.Should().Be((ulong)QuicTransportErrorCode.InvalidToken);
    }

    [Fact]
    public void RetryAutomatic_RetriesOnlyOnceTheHandshakeThresholdIsReached()
    {
        var options = EndpointTestNetwork.DefaultOptions(QuicRetryMode.Automatic);
        using var network = new EndpointTestNetwork(new QuicEndpointOptions
        {
            Connection = options.Connection, Retry = QuicRetryMode.Automatic, RetryTokenKey = options.RetryTokenKey, RetryHandshakeThreshold = 2,
        }) { FollowRetry = false };
        for (var i = 1; i <= 3; i++)
        {
            using var client = new TestQuicClient();
            network.Inject(FirstInitial(client), EndpointTestNetwork.Address(i));
        }

        network.Endpoint.ConnectionCount.Should().Be(2);
        network.Endpoint.RetriesSent.Should().Be(1);
        PacketHeaderParser.TryParse(network.Sent.Last().Datagram, 8, out var last).Should().BeTrue();
        last.Type.Should().Be(PacketType.Retry);
        network.Sent.Last().Remote.Should().Be(EndpointTestNetwork.Address(3));
    }

    [Fact]
    public void ShortHeaderForAnUnknownConnectionId_GetsAStatelessReset_SmallerThanIt_WithTheIdsToken()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions());
        var connectionId = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var expectedToken = new byte[StatelessReset.TokenLength];
        StatelessReset.ComputeToken(network.Options.Connection.StatelessResetKey, connectionId, expectedToken);

        foreach (var size in new[] { 22, 30, 43, 44, 100, 1200 })
        {
            network.Sent.Clear();
            network.Inject(ShortHeader(connectionId, size), EndpointTestNetwork.Address(1));
            var reset = network.Sent.Should().ContainSingle().Subject.Datagram;
            reset.Length.Should().BeLessThan(size, "RFC 9000 §10.3.3: smaller than the packet that triggered it");
            if (size <= 43) reset.Length.Should().Be(size - 1);
            (reset[0] & 0xc0).Should().Be(0x40, "it looks like a short header");
            StatelessReset.IsStatelessReset(reset, expectedToken).Should().BeTrue();
        }
    }

    [Fact]
    public void ShortHeaderTooSmallForAReset_GetsNothing()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions());
        for (var size = 1; size <= StatelessReset.MinimumDatagramLength; size++)
            network.Inject(ShortHeader([1, 2, 3, 4, 5, 6, 7, 8], Math.Max(size, 10))[..size], EndpointTestNetwork.Address(1));

        network.Sent.Should().BeEmpty();
    }

    [Fact]
    public void StatelessResets_AreRateLimited()
    {
        var options = EndpointTestNetwork.DefaultOptions();
        using var network = new EndpointTestNetwork(new QuicEndpointOptions { Connection = options.Connection, StatelessResetsPerSecond = 5 });
        for (var i = 0; i < 20; i++) network.Inject(ShortHeader([1, 2, 3, 4, 5, 6, 7, (byte)i], 50), EndpointTestNetwork.Address(1));
        network.Endpoint.StatelessResetsSent.Should().Be(5);

        network.Now += 1_000_000;
        for (var i = 0; i < 20; i++) network.Inject(ShortHeader([1, 2, 3, 4, 5, 6, 7, (byte)i], 50), EndpointTestNetwork.Address(1));
        network.Endpoint.StatelessResetsSent.Should().Be(10);
    }

    [Fact]
    public void ConnectionLimit_RefusesTheNextClient_WithConnectionRefused()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions(maxConnections: 1));
        var first = network.AddClient(EndpointTestNetwork.Address(1));
        network.RunUntil(() => first.HandshakeDoneReceived).Should().BeTrue();

        var second = network.AddClient(EndpointTestNetwork.Address(2));
        network.RunUntil(() => second.CloseReceived is not null, 1_000_000).Should().BeTrue();

        second.CloseReceived!.Value.ErrorCode.Should().Be((ulong)QuicTransportErrorCode.ConnectionRefused);
        second.CloseReceived.Value.IsApplication.Should().BeFalse();
        network.Endpoint.ConnectionsRefused.Should().BeGreaterThan(0);
        network.Endpoint.ConnectionCount.Should().Be(1);
        // The refusal is no bigger than what provoked it.
        network.Sent.Where(s => s.Remote.Equals(EndpointTestNetwork.Address(2))).Should().OnlyContain(s => s.Datagram.Length < 1200);
    }

    [Fact]
    public void HandshakeLimit_RefusesNewClientsWhileThatManyHandshakesAreInProgress()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions(maxHandshakes: 2));
        var clients = Enumerable.Range(1, 3).Select(_ => new TestQuicClient()).ToList();
        for (var i = 0; i < 3; i++)
        {
            network.Clients[EndpointTestNetwork.Address(i)] = clients[i];
            network.Inject(FirstInitial(clients[i]), EndpointTestNetwork.Address(i));
        }

        network.Endpoint.HandshakesInProgress.Should().Be(2);
        clients[2].CloseReceived!.Value.ErrorCode.Should().Be((ulong)QuicTransportErrorCode.ConnectionRefused);
        network.Clients.Remove(EndpointTestNetwork.Address(2)); // a refused client gives up (the test client would retransmit)

        // Once the handshakes complete the slots are free again.
        network.RunUntil(() => clients[0].HandshakeDoneReceived && clients[1].HandshakeDoneReceived).Should().BeTrue();
        network.Endpoint.HandshakesInProgress.Should().Be(0);
        using var late = new TestQuicClient();
        network.Inject(FirstInitial(late), EndpointTestNetwork.Address(9));
        network.Endpoint.HandshakesInProgress.Should().Be(1);
    }

    [Fact]
    public void ClosedConnection_IsRemovedWithAllItsRoutes_AndItsIdsThenGetResets()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions());
        var client = network.AddClient(EndpointTestNetwork.Address(1));
        network.RunUntil(() => client.HandshakeDoneReceived).Should().BeTrue();
        var connection = network.Events[0].Connection;
        var id = connection.SourceConnectionId.Span.ToArray();

        connection.Close(0, "bye", network.Now);
        network.Endpoint.NotifySendPending(connection);
        network.RunUntil(() => network.Endpoint.ConnectionCount == 0).Should().BeTrue();

        network.Events.Last().Event.Should().BeOfType<ConnectionTerminated>();
        network.Endpoint.RoutedConnectionIdCount.Should().Be(0);
        client.CloseReceived.Should().NotBeNull();
        network.Sent.Clear();
        network.Inject(ShortHeader(id, 60), EndpointTestNetwork.Address(1));
        network.Endpoint.StatelessResetsSent.Should().Be(1);
    }

    [Fact]
    public void IdleConnection_IsRemovedAfterTheIdleTimeout()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions());
        var client = network.AddClient(EndpointTestNetwork.Address(1));
        network.RunUntil(() => client.HandshakeDoneReceived).Should().BeTrue();
        client.Silent = true;
        network.Clients.Clear();

        network.Now += 31_000_000;
        network.Endpoint.OnTimer(network.Now);
        network.DrainEndpoint();

        network.Endpoint.ConnectionCount.Should().Be(0);
        network.Events.Last().Event.Should().BeOfType<ConnectionTerminated>().Which.IdleTimeout.Should().BeTrue();
    }

    [Fact]
    public void RetiredConnectionId_StopsBeingRouted()
    {
        using var network = new EndpointTestNetwork(EndpointTestNetwork.DefaultOptions());
        var client = network.AddClient(EndpointTestNetwork.Address(1));
        network.RunUntil(() => client.HandshakeDoneReceived && client.NewConnectionIds.Count > 0).Should().BeTrue();
        var connection = network.Events[0].Connection;
        var first = connection.SourceConnectionId;
        var routed = network.Endpoint.RoutedConnectionIdCount;

        var (_, next) = client.NewConnectionIds[0];
        client.DestinationConnectionId = next;
        client.SendFrame(EncryptionLevel.OneRtt, (ref QuicFrameWriter w) => w.TryWriteRetireConnectionId(0));
        network.RunUntil(() => network.Events.Any(e => e.Event is ConnectionIdRetired)).Should().BeTrue();
        network.RunUntil(() => false, 100_000);

        connection.LocalConnectionIds.Should().NotContain(first);
        // One retired, one issued in its place.
        network.Endpoint.RoutedConnectionIdCount.Should().Be(routed);
        network.Sent.Clear();
        network.Inject(ShortHeader(first.Span.ToArray(), 60), EndpointTestNetwork.Address(1));
        network.Endpoint.StatelessResetsSent.Should().Be(1);
    }

    [Fact]
    public void ConnectionThatThrows_IsDroppedAlone()
    {
        // A selector that hands the first handshake a disposed certificate (a rotation bug): signing throws
        // ObjectDisposedException out of QuicConnection.Receive.
        using var good = new ServerCertificate(TestCertificates.Ecdsa);
        var broken = new ServerCertificate(TestCertificates.Ecdsa);
        broken.Dispose();
        var selector = new SequenceSelector(broken, good);
        var connectionOptions = QuicTestNetwork.DefaultOptions();
        using var network = new EndpointTestNetwork(new QuicEndpointOptions
        {
            Connection = new QuicConnectionOptions
            {
                Tls = new TlsServerOptions { CertificateSelector = selector, ApplicationProtocols = ["h3"] },
                StatelessResetKey = connectionOptions.StatelessResetKey,
            },
        });
        var victim = network.AddClient(EndpointTestNetwork.Address(1));
        network.RunUntil(() => network.Endpoint.ConnectionsFailed == 1, 100_000).Should().BeTrue();
        var survivor = network.AddClient(EndpointTestNetwork.Address(2));

        network.RunUntil(() => survivor.HandshakeDoneReceived).Should().BeTrue();

        victim.HandshakeDoneReceived.Should().BeFalse();
        var terminated = network.Events.Where(e => e.Event is ConnectionTerminated).Should().ContainSingle().Subject;
        terminated.Connection.RemoteEndPoint.Should().Be(EndpointTestNetwork.Address(1));
        ((ConnectionTerminated)terminated.Event).ErrorCode.Should().Be((ulong)QuicTransportErrorCode.InternalError);
        network.Endpoint.ConnectionCount.Should().Be(1);
    }

    private sealed class SequenceSelector(params ServerCertificate[] certificates) : IServerCertificateSelector
    {
        private int _next;

        public ServerCertificate? Select(string? serverName) => certificates[Math.Min(_next++, certificates.Length - 1)];
    }

    private static byte[] UnknownVersionDatagram(uint version, byte[] dcid, byte[] scid)
    {
        var datagram = new byte[1200];
        datagram[0] = 0xc0;
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(1), version);
        datagram[5] = (byte)dcid.Length;
        dcid.CopyTo(datagram, 6);
        datagram[6 + dcid.Length] = (byte)scid.Length;
        scid.CopyTo(datagram, 7 + dcid.Length);
        return datagram;
    }

    private static byte[] ShortHeader(byte[] connectionId, int size)
    {
        var datagram = new byte[size];
        new Random(size).NextBytes(datagram);
        datagram[0] = 0x41;
        connectionId.CopyTo(datagram, 1);
        return datagram;
    }
}
