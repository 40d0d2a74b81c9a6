using Hyper.Quic.Recovery;

namespace Hyper.Quic.Tests.Recovery;

public sealed class NewRenoCongestionControllerTests
{
    [Fact]
    public void InitialWindow_IsTenDatagrams()
    {
        new NewRenoCongestionController(1200).CongestionWindow.Should().Be(12_000);
        // RFC 9002 §7.2: capped at max(14720, 2 x size) for large datagrams.
        new NewRenoCongestionController(1500).CongestionWindow.Should().Be(14_720);
    }

    [Fact]
    public void SlowStart_GrowsByTheBytesAcknowledged()
    {
        var cc = new NewRenoCongestionController();
        cc.OnPacketSent(0, 1200);
        cc.OnPacketSent(0, 1200);

        cc.OnPacketAcknowledged(0, 1200, 10);
        cc.OnPacketAcknowledged(0, 1200, 10);

        cc.CongestionWindow.Should().Be(14_400);
        cc.BytesInFlight.Should().Be(0);
    }

    [Fact]
    public void Loss_HalvesTheWindowOncePerRecoveryPeriod()
    {
        var cc = new NewRenoCongestionController();
        for (var i = 0; i < 5; i++) cc.OnPacketSent(i, 1200);

        cc.OnPacketsLost(largestLostSentTime: 1, 1200, now: 100);
        cc.CongestionWindow.Should().Be(6_000);
        // A loss of a packet sent before the recovery period started does not reduce again (RFC 9002 §7.3.2).
        cc.OnPacketsLost(largestLostSentTime: 2, 1200, now: 110);
        cc.CongestionWindow.Should().Be(6_000);
        // Nor does an acknowledgement of such a packet grow it.
        cc.OnPacketAcknowledged(3, 1200, 120);
        cc.CongestionWindow.Should().Be(6_000);
        cc.BytesInFlight.Should().Be(2400);
    }

    [Fact]
    public void CongestionAvoidance_AddsOneDatagramPerWindowAcknowledged()
    {
        var cc = new NewRenoCongestionController();
        cc.OnPacketsLost(0, 0, now: 10); // window 6000, threshold 6000: avoidance from now on
        var window = cc.CongestionWindow;

        for (var i = 0; i < 5; i++) cc.OnPacketAcknowledged(20, 1200, 30);

        cc.CongestionWindow.Should().Be(window + 1200);
    }

    [Fact]
    public void PersistentCongestion_CollapsesToTheMinimumWindow()
    {
        var cc = new NewRenoCongestionController();
        cc.OnPersistentCongestion();
        cc.CongestionWindow.Should().Be(2400);
    }
}
