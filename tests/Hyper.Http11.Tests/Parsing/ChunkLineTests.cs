using System.Text;
using Hyper.Http11.Parsing;

namespace Hyper.Http11.Tests.Parsing;

[Trait("rfc", "9112-7.1.1")]
public sealed class ChunkLineTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("000", 0L)]
    [InlineData("a", 10L)]
    [InlineData("FF", 255L)]
    [InlineData("7fffffffffffffff", long.MaxValue)]
    [InlineData("5;a", 5L)]
    [InlineData("5;a=b", 5L)]
    [InlineData("5 ; a = b ;c", 5L)]
    [InlineData("5;a=\"\"", 5L)]
    [InlineData("5;a=\"x;y=z \\\" \t\"", 5L)]
    public void ParseSize_Valid_ReturnsSize(string line, long expected)
    {
        ChunkLine.ParseSize(Encoding.Latin1.GetBytes(line)).Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData(";a")]
    [InlineData("8000000000000000")]
    [InlineData("00000000000000000")]
    [InlineData("5;")]
    [InlineData("5;=b")]
    [InlineData("5;a=")]
    [InlineData("5;a=b c")]
    [InlineData("5;a=\"b")]
    [InlineData("5;a=\"\\\u0001\"")]
    [InlineData("5;a=\"\u0000\"")]
    [InlineData("5 ")]
    [InlineData("5,a")]
    public void ParseSize_Invalid_Throws(string line)
    {
        var act = () => ChunkLine.ParseSize(Encoding.Latin1.GetBytes(line));

        act.Should().Throw<Http11ProtocolException>().Which.Reason.Should().Be(Http11RejectReason.InvalidChunkLine);
    }
}
