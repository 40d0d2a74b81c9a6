using Hyper.Http3.Frames;
using Hyper.Http3.Tests.Support;

namespace Hyper.Http3.Tests.Frames;

public sealed class VariableLengthIntegerTests
{
    // RFC 9000 Appendix A.1 examples.
    [Theory]
    [InlineData("c2197c5eff14e88c", 151_288_809_941_952_652L)]
    [InlineData("9d7f3e7d", 494_878_333L)]
    [InlineData("7bbd", 15_293L)]
    [InlineData("25", 37L)]
    [InlineData("4025", 37L)]
    public void Read_TheRfc9000Examples(string hex, long expected)
    {
        var bytes = Hex.Parse(hex);
        VariableLengthInteger.TryRead(bytes, out var value, out var consumed).Should().BeTrue();
        value.Should().Be(expected);
        consumed.Should().Be(bytes.Length);
        for (var cut = 0; cut < bytes.Length; cut++) VariableLengthInteger.TryRead(bytes.AsSpan(0, cut), out _, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(63L, "3f")]
    [InlineData(64L, "4040")]
    [InlineData(16383L, "7fff")]
    [InlineData(16384L, "80004000")]
    [InlineData(VariableLengthInteger.MaxValue, "ffffffffffffffff")]
    public void Write_UsesTheShortestEncoding(long value, string hex)
    {
        var buffer = new byte[8];
        var length = VariableLengthInteger.Write(value, buffer);
        Hex.Format(buffer.AsSpan(0, length)).Should().Be(hex);
    }
}
