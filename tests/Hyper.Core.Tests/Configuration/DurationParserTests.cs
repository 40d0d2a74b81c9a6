using Hyper.Core.Configuration;

namespace Hyper.Core.Tests.Configuration;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("5", 5_000)]
    [InlineData(" 2.5 ", 2_500)]
    [InlineData(".5", 500)]
    [InlineData("-1", -1_000)]
    public void TryParseSeconds_Number_IsSeconds(string text, int milliseconds)
    {
        DurationParser.TryParseSeconds(text, out var duration).Should().BeTrue();
        duration.Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5s")]
    [InlineData("1e3")]
    [InlineData("1,5")]
    [InlineData("Infinity")]
    [InlineData("NaN")]
    [InlineData("99999999999999999999")]
    public void TryParseSeconds_NotPlainSeconds_Fails(string? text)
    {
        DurationParser.TryParseSeconds(text, out _).Should().BeFalse();
    }
}
