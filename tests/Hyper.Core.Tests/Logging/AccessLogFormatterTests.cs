using System.Net;
using Hyper.Core.Application;
using Hyper.Core.Logging;

namespace Hyper.Core.Tests.Logging;

public class AccessLogFormatterTests
{
    private static string Render(string format, AccessLogEntry? entry = null) =>
        new AccessLogFormatter(format).Render(entry ?? SampleEntries.Get());

    [Theory]
    [InlineData("h", "192.0.2.7:51234")]
    [InlineData("l", "-")]
    [InlineData("u", "-")]
    [InlineData("t", "[25/Nov/2026:10:00:05 +0000]")]
    [InlineData("r", "GET /index.html 1.1")]
    [InlineData("R", "GET /index.html?a=1&b=2 1.1")]
    [InlineData("m", "GET")]
    [InlineData("U", "/index.html")]
    [InlineData("Uq", "/index.html?a=1&b=2")]
    [InlineData("q", "a=1&b=2")]
    [InlineData("H", "1.1")]
    [InlineData("s", "200")]
    [InlineData("st", "OK")]
    [InlineData("S", "http")]
    [InlineData("B", "13")]
    [InlineData("b", "13")]
    [InlineData("f", "https://example.org/start")]
    [InlineData("a", "curl/8.5.0")]
    [InlineData("T", "1")]
    [InlineData("M", "1234")]
    [InlineData("D", "1234567")]
    [InlineData("L", "1.234567")]
    public void Render_EachAtom_RendersItsValue(string atom, string expected)
    {
        Render($"%({atom})s").Should().Be(expected);
    }

    [Fact]
    public void Render_ProcessId_IsPidInAngleBrackets()
    {
        Render("%(p)s").Should().Be($"<{Environment.ProcessId}>");
    }

    [Fact]
    public void Render_DefaultFormat_MatchesGunicornLayout()
    {
        new AccessLogFormatter(AccessLogFormat.Default).Render(SampleEntries.Get()).Should().Be(
            "192.0.2.7:51234 - - [25/Nov/2026:10:00:05 +0000] \"GET /index.html 1.1\" 200 13 \"https://example.org/start\" \"curl/8.5.0\"");
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("X")]
    [InlineData("{x-request-id}z")]
    public void Render_UnknownAtom_RendersDash(string atom)
    {
        Render($"<%({atom})s>").Should().Be("<->");
    }

    [Fact]
    public void Render_DoublePercent_RendersPercent()
    {
        Render("%(s)s 100%%").Should().Be("200 100%");
    }

    [Theory]
    [InlineData("{X-Request-Id}i", "abc-123")]
    [InlineData("{x-request-id}i", "abc-123")]
    [InlineData("{HOST}i", "example.com")]
    [InlineData("{x-missing}i", "-")]
    [InlineData("{Content-Type}o", "text/plain")]
    [InlineData("{content-length}o", "13")]
    [InlineData("{x-missing}o", "-")]
    [InlineData("{user-agent}o", "-")]
    public void Render_HeaderAtoms_LookUpCaseInsensitively(string atom, string expected)
    {
        Render($"%({atom})s").Should().Be(expected);
    }

    [Fact]
    public void Render_EnvironmentAtom_ReadsVariableWhateverTheCase()
    {
        Environment.SetEnvironmentVariable("HYPER_LOG_TEST_VAR", "value-1");
        try
        {
            Render("%({HYPER_LOG_TEST_VAR}e)s").Should().Be("value-1");
            Render("%({hyper_log_test_var}e)s").Should().Be("value-1");
            Render("%({HYPER_LOG_TEST_MISSING}e)s").Should().Be("-");
        }
        finally
        {
            Environment.SetEnvironmentVariable("HYPER_LOG_TEST_VAR", null);
        }
    }

    [Fact]
    public void Render_NoStatus_RendersDashForStatusAndPhrase()
    {
        var entry = SampleEntries.Get(status: null, responseHeaders: [], bodyBytes: 0);

        Render("%(s)s %(st)s %(b)s %(B)s", entry).Should().Be("- - - 0");
    }

    [Theory]
    [InlineData(404, "Not Found")]
    [InlineData(431, "Request Header Fields Too Large")]
    [InlineData(299, "<???299???>")]
    public void Render_StatusPhrase_NamesRegisteredCodes(int status, string expected)
    {
        Render("%(st)s", SampleEntries.Get(status: status)).Should().Be(expected);
    }

    [Fact]
    public void Render_NoContentLength_UsesBytesSent()
    {
        var entry = SampleEntries.Get(responseHeaders: [HeaderField.Of("transfer-encoding", "chunked")], bodyBytes: 4096);

        Render("%(b)s %(B)s", entry).Should().Be("4096 4096");
    }

    [Fact]
    public void Render_InvalidContentLength_UsesBytesSent()
    {
        var entry = SampleEntries.Get(responseHeaders: [HeaderField.Of("content-length", "12x")], bodyBytes: 7);

        Render("%(B)s", entry).Should().Be("7");
    }

    [Fact]
    public void Render_UnixSocketClient_RendersDash()
    {
        Render("%(h)s", SampleEntries.Get(unixSocket: true)).Should().Be("-");
    }

    [Fact]
    public void Render_IPv6Client_BracketsTheAddress()
    {
        Render("%(h)s", SampleEntries.Get(client: new IPEndPoint(IPAddress.IPv6Loopback, 443))).Should().Be("[::1]:443");
    }

    [Fact]
    public void Render_IPv4MappedClient_RendersPlainIPv4()
    {
        var client = new IPEndPoint(IPAddress.Parse("127.0.0.1").MapToIPv6(), 9000);

        Render("%(h)s", SampleEntries.Get(client: client)).Should().Be("127.0.0.1:9000");
    }

    [Fact]
    public void Render_TimeWithOffset_RendersApacheOffset()
    {
        var time = new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.FromMinutes(-330));

        Render("%(t)s", SampleEntries.Get(timestamp: time)).Should().Be("[03/Feb/2026:04:05:06 -0530]");
    }

    [Fact]
    public void Render_EmptyQuery_PathWithQueryHasNoQuestionMark()
    {
        Render("%(Uq)s|%(R)s|%(q)s", SampleEntries.Get(query: "")).Should().Be("/index.html|GET /index.html 1.1|");
    }

    [Fact]
    public void Render_HttpVersion2_RendersBareVersion()
    {
        Render("%(H)s %(S)s", SampleEntries.Get(httpVersion: "2", scheme: "https")).Should().Be("2 https");
    }

    [Fact]
    public void Render_BasicAuthorization_RendersUserName()
    {
        // "alice:s3cr:et" in base64; the password (and its colon) must not reach the log.
        var entry = SampleEntries.Get(requestHeaders: [HeaderField.Of("authorization", "basic YWxpY2U6czNjcjpldA==")]);

        Render("%(u)s", entry).Should().Be("alice");
    }

    [Theory]
    [InlineData("Bearer abc")]
    [InlineData("Basic !!!notbase64")]
    [InlineData("Basic bm9jb2xvbg==")] // "nocolon"
    public void Render_OtherAuthorization_RendersDash(string authorization)
    {
        Render("%(u)s", SampleEntries.Get(requestHeaders: [HeaderField.Of("authorization", authorization)])).Should().Be("-");
    }

    [Fact]
    public void Render_ControlCharactersAndQuotes_AreEscaped()
    {
        var entry = SampleEntries.Get(
            path: "/a\nb",
            requestHeaders: [HeaderField.Of("user-agent", "evil\" \r\n1.2.3.4 - - \\")]);

        Render("\"%(r)s\" \"%(a)s\"", entry).Should().Be("\"GET /a\\x0ab 1.1\" \"evil\\\" \\x0d\\x0a1.2.3.4 - - \\\\\"");
    }

    [Fact]
    public void Render_DurationUnderOneSecond_PadsDecimalSeconds()
    {
        var entry = SampleEntries.Get(duration: TimeSpan.FromMicroseconds(42));

        Render("%(T)s %(M)s %(D)s %(L)s", entry).Should().Be("0 0 42 0.000042");
    }
}
