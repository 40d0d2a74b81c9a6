using Hyper.Quic.Connection;

namespace Hyper.Quic.Tests.Connection;

/// <summary>When the server acknowledges (RFC 9000 §13.2.1).</summary>
public sealed class QuicConnectionAckTests
{
    private static QuicTestNetwork EstablishedAndQuiet()
    {
        var network = new QuicTestNetwork { ServerReads = false };
        network.Start();
        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
        network.RunUntil(() => network.Client.NewConnectionIds.Count >= 3).Should().BeTrue();
        network.Settle(200_000);
        return network;
    }

    [Fact]
    public void OneAckElicitingPacket_IsAcknowledgedAfterMaxAckDelay()
    {
        using var network = EstablishedAndQuiet();
        var sentBefore = network.Server!.DatagramsSent;

        network.Client.SendStream(0, "one"u8, fin: false);
        network.FlushClient();
        network.RunUntil(() => network.ServerEvents.OfType<StreamDataAvailable>().Any()).Should().BeTrue();
        var arrival = network.Now;

        // Nothing goes out at once; the timer is the 25 ms max_ack_delay.
        network.Server.DatagramsSent.Should().Be(sentBefore);
        network.Server.TimerDeadline.Should().Be(arrival + 25_000);
        network.RunUntil(() => network.Server.DatagramsSent > sentBefore).Should().BeTrue();
        network.Now.Should().Be(arrival + 25_000);
    }

    [Fact]
    public void SecondAckElicitingPacket_IsAcknowledgedImmediately()
    {
        using var network = EstablishedAndQuiet();
        var sentBefore = network.Server!.DatagramsSent;

        network.Client.SendStream(0, "one"u8, fin: false);
        network.FlushClient();
        network.Client.SendStream(4, "two"u8, fin: false);
        network.FlushClient();
        network.RunUntil(() => network.ServerEvents.OfType<StreamDataAvailable>().Count() == 2).Should().BeTrue();

        network.Server.DatagramsSent.Should().Be(sentBefore + 1);
    }

    [Fact]
    public void AckOnlyPackets_AreNotAcknowledged()
    {
        using var network = EstablishedAndQuiet();
        var sentBefore = network.Server!.DatagramsSent;

        // The client's ACK-only packets (for the server's NEW_CONNECTION_ID and ACKs) must not start an exchange
        // of ACKs: the server stays silent.
        network.Settle(2_000_000);

        network.Server.DatagramsSent.Should().Be(sentBefore);
    }
}
