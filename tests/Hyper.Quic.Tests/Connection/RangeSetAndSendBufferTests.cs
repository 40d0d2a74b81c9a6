using Hyper.Quic.Connection;

namespace Hyper.Quic.Tests.Connection;

public sealed class RangeSetAndSendBufferTests
{
    [Fact]
    public void RangeSet_AddMergesOverlappingAndAdjacent_RemoveSplits()
    {
        var set = new RangeSet();
        set.Add(10, 20);
        set.Add(30, 40);
        set.Add(20, 25); // adjacent to the first
        set.Add(0, 5);

        Enumerable.Range(0, set.Count).Select(i => set[i]).Should().Equal((0L, 5L), (10L, 25L), (30L, 40L));

        set.Remove(12, 35);
        Enumerable.Range(0, set.Count).Select(i => set[i]).Should().Equal((0L, 5L), (10L, 12L), (35L, 40L));
        set.Contains(11).Should().BeTrue();
        set.Contains(12).Should().BeFalse();
        set.Covers(35, 40).Should().BeTrue();
        set.Covers(34, 40).Should().BeFalse();
    }

    [Fact]
    public void SendBuffer_LostRange_IsPendingAgainExceptWhatWasAcknowledged()
    {
        var buffer = new SendBuffer();
        buffer.Write(new byte[3000], fin: true);
        buffer.OnSent(0, 3000, fin: true);
        buffer.Pending.IsEmpty.Should().BeTrue();

        buffer.OnAcknowledged(1000, 500, fin: false);
        buffer.OnLost(0, 3000, fin: true);

        Enumerable.Range(0, buffer.Pending.Count).Select(i => buffer.Pending[i]).Should().Equal((0L, 1000L), (1500L, 3000L));
        buffer.FinPending.Should().BeTrue();
    }

    [Fact]
    public void SendBuffer_AcknowledgedPrefix_IsReleased_AndLaterBytesStayReadable()
    {
        var buffer = new SendBuffer();
        var data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        buffer.Write(data, fin: false);
        buffer.OnSent(0, 5000, fin: false);

        buffer.OnAcknowledged(0, 4000, fin: false);

        buffer.UnacknowledgedBytes.Should().Be(1000);
        buffer.Slice(4000, 1000).ToArray().Should().Equal(data[4000..]);
        buffer.Write([1, 2, 3], fin: true);
        buffer.Slice(5000, 3).ToArray().Should().Equal(1, 2, 3);
        buffer.OnAcknowledged(4000, 1003, fin: true);
        buffer.IsFullyAcknowledged.Should().BeTrue();
    }
}
