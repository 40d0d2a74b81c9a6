using Hyper.Core.Http.Huffman;

namespace Hyper.Core.Tests.Http.Huffman;

public sealed class HuffmanCodeTests
{
    [Theory]
    [Trait("rfc", "7541-B")]
    [InlineData(0, 0x1ff8u, 13)]
    [InlineData(' ', 0x14u, 6)]
    [InlineData('0', 0x0u, 5)]
    [InlineData('A', 0x21u, 6)]
    [InlineData('a', 0x3u, 5)]
    [InlineData('z', 0x7bu, 7)]
    [InlineData('~', 0x1ffdu, 13)]
    [InlineData(127, 0xffffffcu, 28)]
    [InlineData(255, 0x3ffffeeu, 26)]
    [InlineData(256, 0x3fffffffu, 30)]
    public void Table_SpotChecksFromAppendixB_Match(int symbol, uint code, int length)
    {
        HuffmanCode.Table[symbol].Should().Be((code, (byte)length));
    }

    [Fact]
    [Trait("rfc", "7541-B")]
    public void Table_KraftSum_IsExactlyOne()
    {
        // A complete prefix code: sum of 2^-length over all symbols is 1, so every bit string has one parse.
        var sum = 0UL;
        foreach (var (_, length) in HuffmanCode.Table) sum += 1UL << (30 - length);

        HuffmanCode.Table.Length.Should().Be(257);
        sum.Should().Be(1UL << 30);
    }

    [Fact]
    public void Table_CodesFitTheirLengths_AndAreDistinct()
    {
        var seen = new HashSet<(uint, byte)>();
        foreach (var entry in HuffmanCode.Table)
        {
            entry.Length.Should().BeInRange((byte)5, (byte)30);
            (entry.Code >> entry.Length).Should().Be(0u);
            seen.Add(entry).Should().BeTrue();
        }
    }
}
