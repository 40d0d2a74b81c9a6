using Hyper.Core.Configuration;
using Hyper.Core.Logging;

namespace Hyper.Core.Tests.Logging;

public class AccessLogFormatTests
{
    [Fact]
    public void Parse_DefaultFormat_AlternatesLiteralsAndAtoms()
    {
        var format = AccessLogFormat.Parse("%(h)s - \"%(r)s\" %(s)s");

        format.Segments.Should().Equal(
            new AccessLogSegment(AccessLogAtom.RemoteAddress),
            new AccessLogSegment(AccessLogAtom.Literal, " - \""),
            new AccessLogSegment(AccessLogAtom.RequestLine),
            new AccessLogSegment(AccessLogAtom.Literal, "\" "),
            new AccessLogSegment(AccessLogAtom.Status));
    }

    [Fact]
    public void Parse_DoublePercent_IsOneLiteralPercent()
    {
        var format = AccessLogFormat.Parse("100%% %(s)s%%");

        format.Segments.Select(s => (s.Atom, s.Argument)).Should().Equal(
            (AccessLogAtom.Literal, "100% "), (AccessLogAtom.Status, ""), (AccessLogAtom.Literal, "%"));
    }

    [Theory]
    [InlineData("%(h)d")]
    [InlineData("%(h)-15s")]
    [InlineData("%(h)10.3s")]
    public void Parse_PythonConversionSpec_IsSkipped(string text)
    {
        AccessLogFormat.Parse(text).Segments.Should().ContainSingle().Which.Atom.Should().Be(AccessLogAtom.RemoteAddress);
    }

    [Fact]
    public void Parse_HeaderAtom_KeepsNameAndLowerCasedBytes()
    {
        var segment = AccessLogFormat.Parse("%({X-Request-ID}i)s").Segments.Single();

        segment.Atom.Should().Be(AccessLogAtom.RequestHeader);
        segment.Argument.Should().Be("X-Request-ID");
        segment.NameBytes.Should().Equal("x-request-id"u8.ToArray());
    }

    [Theory]
    [InlineData("%({Server}o)s", AccessLogAtom.ResponseHeader)]
    [InlineData("%({HOME}e)s", AccessLogAtom.EnvironmentVariable)]
    [InlineData("%({HOME}E)s", AccessLogAtom.EnvironmentVariable)]
    [InlineData("%({}i)s", AccessLogAtom.Unknown)]
    [InlineData("%({x}z)s", AccessLogAtom.Unknown)]
    [InlineData("%(zz)s", AccessLogAtom.Unknown)]
    [InlineData("%(H)s", AccessLogAtom.Protocol)]
    [InlineData("%(h)s", AccessLogAtom.RemoteAddress)]
    public void Parse_AtomName_MapsToAtom(string text, object expected)
    {
        // object: AccessLogAtom is internal and a public theory cannot name it.
        AccessLogFormat.Parse(text).Segments.Single().Atom.Should().Be((AccessLogAtom)expected);
    }

    [Theory]
    [InlineData("%(h")]
    [InlineData("trailing %")]
    [InlineData("%d")]
    [InlineData("%(h)")]
    [InlineData("%(h)-")]
    public void Parse_MalformedFormat_ThrowsNamingTheOption(string text)
    {
        var act = () => AccessLogFormat.Parse(text);

        act.Should().Throw<OptionsValidationException>().Which.Key.Should().Be("access_log_format");
    }

    [Fact]
    public void Default_IsTheHyperOptionsDefault()
    {
        AccessLogFormat.Default.Text.Should().Be(HyperOptions.DefaultAccessLogFormat);
    }
}
