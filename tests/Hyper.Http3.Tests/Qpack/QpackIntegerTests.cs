using Hyper.Http3.Qpack;
using Hyper.Http3.Tests.Support;

namespace Hyper.Http3.Tests.Qpack;

public sealed class QpackIntegerTests
{
    // RFC 7541 C.1, which RFC 9204 §4.1.1 adopts: 10 in a 5-bit prefix, 1337 in a 5-bit prefix, 42 in an 8-bit prefix.
    [Theory]
    [InlineData(10L, 5, "0a")]
    [InlineData(1337L, 5, "1f9a0a")]
    [InlineData(42L, 8, "2a")]
    [InlineData(220L, 5, "1fbd01")]
    [InlineData(0L, 3, "00")]
    [InlineData(7L, 3, "0700")]
    public void Write_AndRead_MatchTheRfcExamples(long value, int prefixBits, string hex)
    {
        var buffer = new byte[QpackInteger.MaxEncodedLength];
        var written = QpackInteger.Write(value, prefixBits, 0x00, buffer);
        Hex.Format(buffer.AsSpan(0, written)).Should().Be(hex);
        QpackInteger.GetEncodedLength(value, prefixBits).Should().Be(written);

        var position = 0;
        QpackInteger.TryRead(Hex.Parse(hex), ref position, prefixBits, out var read).Should().Be(QpackIntegerStatus.Done);
        read.Should().Be(value);
        position.Should().Be(written);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void EveryPrefixLength_RoundTripsUpTo62Bits_AndEveryTruncationNeedsMoreData(int prefixBits)
    {
        long[] values = [0, 1, (1L << prefixBits) - 2, (1L << prefixBits) - 1, 1L << prefixBits, 127, 128, 16383, 1L << 31, 1L << 40, QpackInteger.MaxValue];
        foreach (var value in values)
        {
            var buffer = new byte[QpackInteger.MaxEncodedLength];
            var written = QpackInteger.Write(value, prefixBits, (byte)(0xFF << prefixBits), buffer);
            written.Should().BeLessThanOrEqualTo(QpackInteger.MaxEncodedLength);

            var position = 0;
            QpackInteger.TryRead(buffer.AsSpan(0, written), ref position, prefixBits, out var read).Should().Be(QpackIntegerStatus.Done);
            read.Should().Be(value);

            for (var cut = 0; cut < written; cut++)
            {
                var at = 0;
                QpackInteger.TryRead(buffer.AsSpan(0, cut), ref at, prefixBits, out _).Should().Be(QpackIntegerStatus.NeedMoreData);
                at.Should().Be(0, "a read that needs more data leaves the position alone");
            }
        }
    }

    [Theory]
    [InlineData("ff 80 80 80 80 80 80 80 80 80 00")] // ten continuation octets
    [InlineData("ff c1 ff ff ff ff ff ff ff 7f")]    // 2^62 - 1 + 255 - 0xff... past 62 bits
    [InlineData("ff 81 ff ff ff ff ff ff ff 40")]    // 2^62 exactly and beyond
    public void ValuesPast62Bits_AreOverflow(string hex)
    {
        var position = 0;
        QpackInteger.TryRead(Hex.Parse(hex), ref position, 8, out _).Should().Be(QpackIntegerStatus.Overflow);
    }

    [Fact]
    public void MaxValue_WithAnEightBitPrefix_Reads()
    {
        var buffer = new byte[QpackInteger.MaxEncodedLength];
        var written = QpackInteger.Write(QpackInteger.MaxValue, 8, 0, buffer);
        var position = 0;
        QpackInteger.TryRead(buffer.AsSpan(0, written), ref position, 8, out var value).Should().Be(QpackIntegerStatus.Done);
        value.Should().Be(QpackInteger.MaxValue);
        buffer[written - 1]++;
        position = 0;
        QpackInteger.TryRead(buffer.AsSpan(0, written), ref position, 8, out _).Should().Be(QpackIntegerStatus.Overflow);
    }
}
