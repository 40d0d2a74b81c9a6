using Hyper.Quic.Packets;

namespace Hyper.Quic.Tests.Packets;

/// <summary>RFC 9000 §16 and the examples of Appendix A.1.</summary>
public sealed class VariableLengthIntegerTests
{
    [Theory]
    [InlineData("c2197c5eff14e88c", 151_288_809_941_952_652UL)]
    [InlineData("9d7f3e7d", 494_878_333UL)]
    [InlineData("7bbd", 15_293UL)]
    [InlineData("25", 37UL)]
    [InlineData("4025", 37UL)] // the two-byte, non-minimal encoding of 37 from Appendix A.1
    public void TryRead_AppendixA1Examples(string hex, ulong expected)
    {
        VariableLengthInteger.TryRead(Convert.FromHexString(hex), out var value, out var length).Should().BeTrue();

        value.Should().Be(expected);
        length.Should().Be(hex.Length / 2);
    }

    [Theory]
    [InlineData(151_288_809_941_952_652UL, "c2197c5eff14e88c")]
    [InlineData(494_878_333UL, "9d7f3e7d")]
    [InlineData(15_293UL, "7bbd")]
    [InlineData(37UL, "25")]
    [InlineData(0UL, "00")]
    [InlineData(63UL, "3f")]
    [InlineData(64UL, "4040")]
    [InlineData(16383UL, "7fff")]
    [InlineData(16384UL, "80004000")]
    [InlineData(1073741823UL, "bfffffff")]
    [InlineData(1073741824UL, "c000000040000000")]
    [InlineData(VariableLengthInteger.MaxValue, "ffffffffffffffff")]
    public void TryWrite_UsesShortestEncoding(ulong value, string hex)
    {
        var buffer = new byte[8];

        VariableLengthInteger.TryWrite(buffer, value, out var written).Should().BeTrue();

        Convert.ToHexStringLower(buffer, 0, written).Should().Be(hex);
        VariableLengthInteger.GetEncodedLength(value).Should().Be(written);
    }

    [Fact]
    public void TryWrite_ForcedLength_WritesLongerEncodingThatReadsBack()
    {
        var buffer = new byte[4];

        VariableLengthInteger.TryWrite(buffer, 37, 4, out var written).Should().BeTrue();

        Convert.ToHexStringLower(buffer).Should().Be("80000025");
        VariableLengthInteger.TryRead(buffer, out var value, out var length).Should().BeTrue();
        (value, length, VariableLengthInteger.IsMinimal(value, length)).Should().Be((37UL, 4, false));
    }

    [Theory]
    [InlineData("")]
    [InlineData("40")]
    [InlineData("80ffff")]
    [InlineData("c0000000000000")]
    public void TryRead_Truncated_ReturnsFalse(string hex)
    {
        VariableLengthInteger.TryRead(Convert.FromHexString(hex), out _, out var length).Should().BeFalse();
        length.Should().Be(0);
    }

    [Fact]
    public void TryWrite_DestinationTooSmall_ReturnsFalseWithoutWriting()
    {
        var buffer = new byte[1];

        VariableLengthInteger.TryWrite(buffer, 64, out var written).Should().BeFalse();

        written.Should().Be(0);
        buffer[0].Should().Be(0);
    }

    [Fact]
    public void Write_ValueAboveTwoTo62_Throws()
    {
        var act = () => VariableLengthInteger.TryWrite(new byte[8], VariableLengthInteger.MaxValue + 1, out _);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Write_ValueTooLargeForForcedLength_Throws()
    {
        var act = () => VariableLengthInteger.TryWrite(new byte[8], 64, 1, out _);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
