using System.Text;
using Hyper.Core.Http;

namespace Hyper.Http11.Tests.Http;

/// <summary>Core's field validator, tested here because HTTP/1.1 is its first user.</summary>
public sealed class FieldSyntaxTests
{
    [Theory]
    [InlineData("content-type", true)]
    [InlineData("X-Custom_1!#$%&'*+.^`|~", true)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("a:b", false)]
    [InlineData("a\"b", false)]
    [InlineData("a\u00e9", false)]
    [Trait("rfc", "9110-5.6.2")]
    public void IsToken_Value_Expected(string value, bool expected)
    {
        FieldSyntax.IsToken(Encoding.Latin1.GetBytes(value)).Should().Be(expected);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("plain", true)]
    [InlineData("a\tb c", true)]
    [InlineData("caf\u00e9", true)]
    [InlineData(" lead", false)]
    [InlineData("trail\t", false)]
    [InlineData("a\u0000b", false)]
    [InlineData("a\rb", false)]
    [InlineData("a\nb", false)]
    [InlineData("a\u000bb", false)]
    [InlineData("a\u007fb", false)]
    [Trait("rfc", "9110-5.5")]
    public void IsValidFieldValue_Value_Expected(string value, bool expected)
    {
        FieldSyntax.IsValidFieldValue(Encoding.Latin1.GetBytes(value)).Should().Be(expected);
    }

    [Fact]
    public void TrimWhitespace_StripsOnlySpAndHtab()
    {
        Encoding.Latin1.GetString(FieldSyntax.TrimWhitespace(Encoding.Latin1.GetBytes(" \t\u000bx y\t "))).Should().Be("\u000bx y");
    }

    [Theory]
    [InlineData("ok\ttab", false)]
    [InlineData("a\rb", true)]
    [InlineData("a\nb", true)]
    [InlineData("a\u0000b", true)]
    public void ContainsLineBreakOrNul_Value_Expected(string value, bool expected)
    {
        FieldSyntax.ContainsLineBreakOrNul(Encoding.Latin1.GetBytes(value)).Should().Be(expected);
    }
}
