using System.Text;
using Hyper.Core.Http;

namespace Hyper.Core.Tests.Http;

public sealed class PathDecoderTests
{
    [Theory]
    [InlineData("/plain", "/plain")]
    [InlineData("/caf%C3%A9", "/café")]
    [InlineData("/a%20b", "/a b")]
    [InlineData("/a%2Fb", "/a/b")]
    [InlineData("/bad%zz", "/bad%zz")]
    [InlineData("/end%4", "/end%4")]
    [InlineData("/%e2%82%ac", "/€")]
    public void Decode_PercentEscapes_AreUtf8Decoded(string raw, string expected) =>
        PathDecoder.Decode(Encoding.ASCII.GetBytes(raw)).Should().Be(expected);

    [Theory]
    [InlineData("/a%00b", true)]
    [InlineData("/%00", true)]
    [InlineData("/%%00", true)]
    [InlineData("/%2%00", true)]
    [InlineData("/%2500", false)]
    [InlineData("/%0", false)]
    [InlineData("/a%000", true)]
    [InlineData("/plain", false)]
    [InlineData("/%41%00", true)]
    public void ContainsEncodedNul_ExactlyWhenDecodeYieldsNul(string raw, bool expected)
    {
        var bytes = Encoding.ASCII.GetBytes(raw);

        PathDecoder.ContainsEncodedNul(bytes).Should().Be(expected);
        PathDecoder.Decode(bytes).Contains('\0').Should().Be(expected, "the check must agree with what Decode produces");
    }
}
