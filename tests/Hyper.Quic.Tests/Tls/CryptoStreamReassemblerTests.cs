using Hyper.Quic.Tls;

namespace Hyper.Quic.Tests.Tls;

public sealed class CryptoStreamReassemblerTests
{
    private static readonly byte[] Data = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();

    [Fact]
    public void InOrder_IsAvailableAtOnce()
    {
        var stream = new CryptoStreamReassembler();

        stream.Write(0, Data.AsSpan(0, 100));

        stream.Available.ToArray().Should().Equal(Data.AsSpan(0, 100).ToArray());
    }

    [Fact]
    public void Gap_HoldsLaterDataUntilFilled()
    {
        var stream = new CryptoStreamReassembler();

        stream.Write(200, Data.AsSpan(200, 100));
        stream.Write(0, Data.AsSpan(0, 100));
        stream.Available.Length.Should().Be(100);
        stream.BufferedBytes.Should().Be(300);
        stream.Write(100, Data.AsSpan(100, 100));

        stream.Available.ToArray().Should().Equal(Data);
    }

    [Fact]
    public void OverlapsAndDuplicates_Merge()
    {
        var stream = new CryptoStreamReassembler();

        stream.Write(50, Data.AsSpan(50, 100));
        stream.Write(120, Data.AsSpan(120, 30));
        stream.Write(140, Data.AsSpan(140, 160));
        stream.Write(0, Data.AsSpan(0, 60));

        stream.Available.ToArray().Should().Equal(Data);
    }

    [Fact]
    public void Consume_MovesTheReadPositionAndOldDataIsIgnored()
    {
        var stream = new CryptoStreamReassembler();
        stream.Write(0, Data.AsSpan(0, 100));
        stream.Write(150, Data.AsSpan(150, 50));

        stream.Consume(80);
        stream.Write(0, Data.AsSpan(0, 100)); // retransmission of consumed data
        stream.Write(60, Data.AsSpan(60, 90)); // straddles the read position and fills the gap

        stream.ReadOffset.Should().Be(80);
        stream.Available.ToArray().Should().Equal(Data.AsSpan(80, 120).ToArray());
    }

    [Fact]
    public void EveryPermutationOfFourPieces_GivesTheSameBytes()
    {
        (int Offset, int Length)[] pieces = [(0, 70), (70, 80), (150, 90), (240, 60)];
        foreach (var order in Permutations([0, 1, 2, 3]))
        {
            var stream = new CryptoStreamReassembler();
            foreach (var i in order)
                stream.Write((ulong)pieces[i].Offset, Data.AsSpan(pieces[i].Offset, pieces[i].Length));

            stream.Available.ToArray().Should().Equal(Data, string.Join(",", order));
        }
    }

    [Fact]
    public void DataEndingPastTheLimit_CryptoBufferExceeded()
    {
        var stream = new CryptoStreamReassembler(maxBufferedBytes: 1000);
        stream.Write(999, [1]); // ends exactly at the limit: accepted

        var act = () => stream.Write(1000, [1]);

        act.Should().Throw<QuicTransportException>().Which.ErrorCode.Should().Be(QuicTransportErrorCode.CryptoBufferExceeded);
    }

    [Fact]
    public void LimitIsMeasuredFromTheReadPosition()
    {
        var stream = new CryptoStreamReassembler(maxBufferedBytes: 1000);
        stream.Write(0, new byte[1000]);
        stream.Consume(1000);

        stream.Write(1500, [1]);

        stream.BufferedBytes.Should().Be(501);
    }

    [Fact]
    public void FarOffsetFlood_MemoryStaysWithinTheLimit()
    {
        var stream = new CryptoStreamReassembler(maxBufferedBytes: 4096);
        var random = new Random(7);
        var rejected = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var offset = (ulong)random.NextInt64(0, 1L << 40);
            try
            {
                stream.Write(offset, [1, 2, 3]);
            }
            catch (QuicTransportException)
            {
                rejected++;
            }
        }

        rejected.Should().BeGreaterThan(9_900);
        stream.BufferedBytes.Should().BeLessThanOrEqualTo(4096);
    }

    private static IEnumerable<int[]> Permutations(int[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany(item => Permutations(items.Where(x => x != item).ToArray()).Select(rest => (int[])[item, .. rest]));
}
