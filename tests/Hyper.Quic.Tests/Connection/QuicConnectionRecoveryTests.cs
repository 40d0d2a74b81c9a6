using Hyper.Quic.Connection;
using Hyper.Quic.Tls;
using Xunit.Abstractions;

namespace Hyper.Quic.Tests.Connection;

/// <summary>Loss, reordering and the amplification limit on the simulated network (RFC 9002, RFC 9000 §8.1).</summary>
public sealed class QuicConnectionRecoveryTests(ITestOutputHelper output)
{
    private static byte[] Pattern(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(10)]
    public void EveryNthDatagramLostBothWays_HandshakeAndEchoComplete(int n)
    {
        using var network = new QuicTestNetwork { Echo = true };
        network.DropToServer = (i, _) => i % n == n - 1;
        network.DropToClient = (i, _) => i % n == n - 1;
        var data = Pattern(100_000);
        network.Start();
        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();

        network.Client.SendStream(0, data, fin: true);

        network.RunUntil(() => network.Client.Streams.TryGetValue(0, out var s) && s.IsComplete).Should().BeTrue();
        network.Client.Streams[0].Data.Should().Equal(data);
        network.Client.CloseReceived.Should().BeNull();
        network.Server!.PacketsDeclaredLost.Should().BeGreaterThan(0);
        output.WriteLine($"1/{n} loss: {network.Now / 1000 - 1000} ms simulated, {network.Server.PacketsDeclaredLost} packets declared lost, " +
            $"cwnd {network.Server.CongestionController.CongestionWindow}, srtt {network.Server.Rtt.SmoothedRtt} us");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TenPercentRandomLossBothWays_OneMegabyteDownloadArrivesIntact(int seed)
    {
        var random = new Random(seed);
        using var network = new QuicTestNetwork { OneWayDelay = 10_000 };
        network.DropToServer = (_, _) => random.NextDouble() < 0.1;
        network.DropToClient = (_, _) => random.NextDouble() < 0.1;
        network.Start();
        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
        var data = Pattern(1_000_000);

        var stream = network.Server!.OpenStream(bidirectional: false)!.Value;
        network.Server.Write(stream, data, fin: true);
        network.DrainServer();

        network.RunUntil(() => network.Client.Streams.TryGetValue(stream, out var s) && s.IsComplete, 120_000_000).Should().BeTrue();
        network.Client.Streams[stream].Data.Should().Equal(data);
        network.Client.CloseReceived.Should().BeNull();
        output.WriteLine($"1 MB at 10% loss both ways, 20 ms RTT (seed {seed}): {(network.Now - 1_000_000) / 1000} ms simulated, " +
            $"{network.Server.PacketsDeclaredLost} packets declared lost of {network.Server.DatagramsSent} datagrams");
    }

    [Fact]
    public void BlackHoleLongerThanThePersistentCongestionDuration_CollapsesTheWindow_ThenTheTransferCompletes()
    {
        using var network = new QuicTestNetwork { OneWayDelay = 10_000 };
        network.Start();
        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
        network.Settle(200_000);
        var data = Pattern(300_000);
        var stream = network.Server!.OpenStream(bidirectional: false)!.Value;
        network.Server.Write(stream, data, fin: true);
        network.DrainServer();
        network.Settle(30_000);

        // Everything toward the client vanishes for 2 s: the data and the PTO probes in that time are lost.
        var healAt = network.Now + 2_000_000;
        network.DropToClient = (_, _) => network.Now < healAt;

        network.RunUntil(() => network.Server.PersistentCongestionEvents > 0, 10_000_000).Should().BeTrue();
        network.RunUntil(() => network.Client.Streams.TryGetValue(stream, out var s) && s.IsComplete, 30_000_000).Should().BeTrue();
        network.Client.Streams[stream].Data.Should().Equal(data);
    }

    [Fact]
    public void ScatteredLoss_IsNotPersistentCongestion()
    {
        using var network = new QuicTestNetwork { OneWayDelay = 10_000 };
        network.DropToClient = (i, _) => i % 5 == 4;
        network.Start();
        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
        var stream = network.Server!.OpenStream(bidirectional: false)!.Value;
        network.Server.Write(stream, Pattern(300_000), fin: true);
        network.DrainServer();

        network.RunUntil(() => network.Client.Streams.TryGetValue(stream, out var s) && s.IsComplete).Should().BeTrue();
        network.Server.PacketsDeclaredLost.Should().BeGreaterThan(0);
        network.Server.PersistentCongestionEvents.Should().Be(0);
    }

    [Fact]
    public void FirstServerFlightLost_IsResentOnProbeTimeout()
    {
        using var network = new QuicTestNetwork();
        network.DropToClient = (i, _) => i == 0;
        network.Start();

        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
        // The lost flight comes back after the PTO (initial RTT 333 ms, so about a second), not the idle timeout.
        network.Now.Should().BeLessThan(1_000_000 + 2_000_000);
    }

    [Fact]
    public void ReorderedServerDatagrams_DataArrivesIntact()
    {
        using var network = new QuicTestNetwork { Echo = true };
        network.Start();
        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
        // Every other datagram to the client overtakes its predecessor.
        network.ExtraDelayToClient = i => i % 2 == 0 ? 2_000 : 0;
        var data = Pattern(150_000);

        network.Client.SendStream(0, data, fin: true);

        network.RunUntil(() => network.Client.Streams.TryGetValue(0, out var s) && s.IsComplete).Should().BeTrue();
        network.Client.Streams[0].Data.Should().Equal(data);
    }

    [Fact]
    public void ReorderedClientPackets_AreAcknowledgedWithSeveralRanges()
    {
        using var network = new QuicTestNetwork();
        network.Start();
        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
        // Drop one client datagram so the server sees a gap, and must report two ranges.
        var dropped = false;
        network.DropToServer = (_, _) => !dropped && (dropped = true);
        for (var i = 0; i < 4; i++)
        {
            network.Client.SendStream((ulong)(i * 4), "x"u8, fin: true);
            network.FlushClient();
        }

        network.Settle(100_000);
        network.Client.LongestAckRanges.Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public void AmplificationLimit_UnvalidatedClient_GetsAtMostThreeTimesWhatItSent()
    {
        using var network = new QuicTestNetwork();
        // The client's first Initial arrives; nothing else does in either direction, so the server's
        // retransmissions must stop at 3 x 1200 bytes.
        network.DropToServer = (i, _) => i > 0;
        network.DropToClient = (_, _) => true;
        network.Start();

        network.Settle(20_000_000);

        network.Server!.IsAddressValidated.Should().BeFalse();
        network.BytesToClient.Should().BeGreaterThan(1200, "the PTO resends the flight while budget remains");
        network.BytesToClient.Should().BeLessThanOrEqualTo(3 * 1200);
    }

    [Fact]
    public void AmplificationLimit_LiftsOnceTheClientSendsAHandshakePacket()
    {
        using var network = new QuicTestNetwork();
        network.Start();
        network.RunUntil(() => network.Server?.IsAddressValidated == true).Should().BeTrue();
        var receivedBeforeValidation = network.BytesToServer;
        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
        network.Server!.Write(network.Server.OpenStream(bidirectional: false)!.Value, Pattern(50_000), fin: true);
        network.DrainServer();

        network.RunUntil(() => network.Client.Streams.TryGetValue(3, out var s) && s.IsComplete).Should().BeTrue();
        network.BytesToClient.Should().BeGreaterThan(3 * receivedBeforeValidation);
    }

    [Fact]
    public void BulkTransfer_CongestionWindowGrowsInSlowStart_AndRttIsMeasured()
    {
        // Windows larger than the transfer: the test client sends without waiting for credit.
        var options = QuicTestNetwork.DefaultOptions(o => { o.StreamReceiveWindow = 4 << 20; o.ConnectionReceiveWindow = 8 << 20; });
        using var network = new QuicTestNetwork(options) { Echo = true, OneWayDelay = 10_000 };
        network.Start();
        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
        var initialWindow = network.Server!.CongestionController.CongestionWindow;

        network.Client.SendStream(0, Pattern(1_000_000), fin: true);
        network.RunUntil(() => network.Client.Streams.TryGetValue(0, out var s) && s.IsComplete).Should().BeTrue();
        network.Client.CloseReceived.Should().BeNull();

        network.Server.CongestionController.CongestionWindow.Should().BeGreaterThan(initialWindow);
        // 20 ms round trip on the wire; the estimate includes the client's immediate ACKs, so close to it.
        network.Server.Rtt.MinRtt.Should().BeInRange(20_000, 21_000);
        output.WriteLine($"1 MB echo at 20 ms RTT: {(network.Now - 1_000_000) / 1000} ms simulated, cwnd {network.Server.CongestionController.CongestionWindow}, " +
            $"{network.Server.DatagramsSent} datagrams sent");
    }

    [Fact]
    public void ClientSilentAfterHandshake_ServerTerminatesAtTheIdleTimeout()
    {
        var options = QuicTestNetwork.DefaultOptions(o => o.IdleTimeoutMilliseconds = 5_000);
        using var network = new QuicTestNetwork(options);
        network.Start();
        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
        var lastHeard = network.Now;
        network.DropToServer = (_, _) => true;
        network.DropToClient = (_, _) => true;

        network.RunUntil(() => network.Server!.IsClosed, 60_000_000).Should().BeTrue();

        var terminated = network.ServerEvents.OfType<ConnectionTerminated>().Should().ContainSingle().Subject;
        terminated.IdleTimeout.Should().BeTrue();
        // RFC 9000 §10.1: the smaller of both sides' timeouts (5 s here), measured from the last activity.
        (network.Now - lastHeard).Should().BeInRange(4_900_000, 5_500_000);
    }
}
