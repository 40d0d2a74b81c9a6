using System.Text;
using Hyper.Http11.Parsing;

namespace Hyper.Http11.Tests.Parsing;

[Trait("rfc", "9110-7.2")]
public sealed class HostSyntaxTests
{
    [Theory]
    [InlineData("", true)]
    [InlineData("example.com", true)]
    [InlineData("example.com:8080", true)]
    [InlineData("example.com:", true)]
    [InlineData("127.0.0.1:80", true)]
    [InlineData("[::1]", true)]
    [InlineData("[2001:db8::1]:443", true)]
    [InlineData("a_b-c~d%20", true)]
    [InlineData("a,b", false)]
    [InlineData("a b", false)]
    [InlineData("u@h", false)]
    [InlineData("h/p", false)]
    [InlineData(":80", false)]
    [InlineData("h:8a", false)]
    [InlineData("[::1", false)]
    [InlineData("[]", false)]
    [InlineData("[::1]x", false)]
    [InlineData("h\u00e9", false)]
    public void IsValid_Value_Expected(string host, bool expected)
    {
        HostSyntax.IsValid(Encoding.Latin1.GetBytes(host)).Should().Be(expected);
    }
}
