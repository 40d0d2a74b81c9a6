using Hyper.Quic.Packets;

namespace Hyper.Quic.Tests.Packets;

/// <summary>RFC 9000 §17.1 and the examples of Appendix A.2 and A.3.</summary>
public sealed class PacketNumberEncodingTests
{
    [Theory]
    [InlineData(0xac5c02L, 0xabe8b3L, 2)] // Appendix A.2 / §17.1 example: 29,519 unacknowledged
    [InlineData(0xace8feL, 0xabe8b3L, 3)] // 65,611 unacknowledged
    [InlineData(0L, -1L, 1)]
    [InlineData(127L, -1L, 1)]
    [InlineData(128L, -1L, 2)]
    [InlineData(10L, 9L, 1)]
    public void GetEncodedLength_CoversTwiceTheUnacknowledgedRange(long packetNumber, long largestAcknowledged, int expected)
    {
        PacketNumberEncoding.GetEncodedLength(packetNumber, largestAcknowledged).Should().Be(expected);
    }

    [Fact]
    public void Decode_AppendixA3Example()
    {
        PacketNumberEncoding.Decode(0xa82f30ea, 0x9b32, 2).Should().Be(0xa82f9b32);
    }

    [Theory]
    [InlineData(-1L, 0x00L, 1, 0L)]
    [InlineData(0xffL, 0x00L, 1, 0x100L)] // wraps forward past the window
    [InlineData(0x1ffL, 0xfeL, 1, 0x1feL)] // a reordered packet just behind the largest
    [InlineData(0x100L, 0xffL, 1, 0xffL)]
    [InlineData(0xabe8b3L, 0xc5c02L & 0xffffL, 2, 0xac5c02L)]
    public void Decode_PicksTheCandidateClosestToExpected(long largest, long truncated, int length, long expected)
    {
        PacketNumberEncoding.Decode(largest, truncated, length).Should().Be(expected);
    }

    [Fact]
    public void EncodeThenDecode_RoundTripsAcrossLengths()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var largestAcked = random.NextInt64(-1, 1L << 40);
            var packetNumber = largestAcked + 1 + random.NextInt64(0, 1L << 20);
            var length = PacketNumberEncoding.GetEncodedLength(packetNumber, largestAcked);
            var buffer = new byte[4];
            PacketNumberEncoding.WriteTruncated(buffer, packetNumber, length);
            var truncated = PacketNumberEncoding.ReadTruncated(buffer, length);

            // The receiver has seen at least the acknowledged packets, and at most those before this one.
            PacketNumberEncoding.Decode(largestAcked, truncated, length).Should().Be(packetNumber);
            PacketNumberEncoding.Decode(packetNumber - 1, truncated, length).Should().Be(packetNumber);
        }
    }
}
