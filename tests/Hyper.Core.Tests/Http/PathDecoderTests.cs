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
}
