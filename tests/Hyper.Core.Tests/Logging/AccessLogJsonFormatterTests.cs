using System.Text.Json;
using Hyper.Core.Application;
using Hyper.Core.Logging;

namespace Hyper.Core.Tests.Logging;

public class AccessLogJsonFormatterTests
{
    private static JsonElement RenderJson(AccessLogEntry entry, string format = HyperOptionsDefault)
    {
        var line = new AccessLogJsonFormatter(AccessLogFormat.Parse(format)).Render(entry);
        line.Should().NotContain("\n");
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    private const string HyperOptionsDefault = Hyper.Core.Configuration.HyperOptions.DefaultAccessLogFormat;

    [Fact]
    public void Render_TypicalEntry_IsOneObjectWithReadableNames()
    {
        var json = RenderJson(SampleEntries.Get());

        json.GetProperty("remote_addr").GetString().Should().Be("192.0.2.7:51234");
        json.GetProperty("method").GetString().Should().Be("GET");
        json.GetProperty("path").GetString().Should().Be("/index.html");
        json.GetProperty("query").GetString().Should().Be("a=1&b=2");
        json.GetProperty("request_line").GetString().Should().Be("GET /index.html 1.1");
        json.GetProperty("protocol").GetString().Should().Be("1.1");
        json.GetProperty("scheme").GetString().Should().Be("http");
        json.GetProperty("status").GetInt32().Should().Be(200);
        json.GetProperty("status_phrase").GetString().Should().Be("OK");
        json.GetProperty("bytes").GetInt64().Should().Be(13);
        json.GetProperty("bytes_sent").GetInt64().Should().Be(13);
        json.GetProperty("duration_us").GetInt64().Should().Be(1_234_567);
        json.GetProperty("user_agent").GetString().Should().Be("curl/8.5.0");
        json.GetProperty("referer").GetString().Should().Be("https://example.org/start");
        json.GetProperty("pid").GetInt32().Should().Be(Environment.ProcessId);
        json.GetProperty("time").GetDateTimeOffset().Should().Be(SampleEntries.Noon);
        json.GetProperty("user").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void Render_MissingValues_AreNull()
    {
        var json = RenderJson(SampleEntries.Get(unixSocket: true, status: null, requestHeaders: [], responseHeaders: [], bodyBytes: 0));

        json.GetProperty("remote_addr").ValueKind.Should().Be(JsonValueKind.Null);
        json.GetProperty("status").ValueKind.Should().Be(JsonValueKind.Null);
        json.GetProperty("status_phrase").ValueKind.Should().Be(JsonValueKind.Null);
        json.GetProperty("referer").ValueKind.Should().Be(JsonValueKind.Null);
        json.GetProperty("user_agent").ValueKind.Should().Be(JsonValueKind.Null);
        json.GetProperty("bytes").GetInt64().Should().Be(0);
    }

    [Fact]
    public void Render_HeaderAtomsInFormat_AppearAsObjects()
    {
        var json = RenderJson(SampleEntries.Get(), "%({X-Request-Id}i)s %({x-absent}i)s %({Content-Type}o)s");

        json.GetProperty("request_headers").GetProperty("x-request-id").GetString().Should().Be("abc-123");
        json.GetProperty("request_headers").GetProperty("x-absent").ValueKind.Should().Be(JsonValueKind.Null);
        json.GetProperty("response_headers").GetProperty("content-type").GetString().Should().Be("text/plain");
        json.TryGetProperty("environment", out _).Should().BeFalse();
    }

    [Fact]
    public void Render_HostileBytes_StayValidJsonOnOneLine()
    {
        var entry = SampleEntries.Get(
            path: "/\"quoted\"\n\u00e9",
            query: "x=\u00ff\u0001",
            requestHeaders: [new HeaderField("user-agent"u8.ToArray(), new byte[] { 0xC3, 0x28, 0x0A, 0x22 })]);

        var json = RenderJson(entry);

        json.GetProperty("path").GetString().Should().Be("/\"quoted\"\n\u00e9");
        json.GetProperty("query").GetString().Should().Be("x=\u00ff\u0001");
        json.GetProperty("user_agent").GetString().Should().Be("\u00c3(\n\"");
    }

    [Fact]
    public void Render_SameThreadTwice_DoesNotLeakPreviousEntry()
    {
        var formatter = new AccessLogJsonFormatter();
        var first = formatter.Render(SampleEntries.Get(path: "/first"));
        var second = formatter.Render(SampleEntries.Get(path: "/b"));

        second.Should().NotContain("first");
        first.Length.Should().BeGreaterThan(second.Length);
        using var _ = JsonDocument.Parse(second);
    }
}
