using System.Net;
using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Logging;

namespace Hyper.Core.Tests.Logging;

/// <summary>Access-log entries for the logging tests: one typical request, varied through optional arguments.</summary>
internal static class SampleEntries
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 25, 10, 0, 5, TimeSpan.Zero);

    public static AccessLogEntry Get(
        string method = "GET",
        string path = "/index.html",
        string query = "a=1&b=2",
        string httpVersion = "1.1",
        string scheme = "http",
        IPEndPoint? client = null,
        bool unixSocket = false,
        HeaderField[]? requestHeaders = null,
        int? status = 200,
        HeaderField[]? responseHeaders = null,
        long bodyBytes = 13,
        TimeSpan? duration = null,
        DateTimeOffset? timestamp = null)
    {
        var scope = new HttpScope
        {
            HttpVersion = httpVersion,
            Method = method,
            Scheme = scheme,
            Path = path,
            RawPath = Encoding.ASCII.GetBytes(path),
            QueryString = Encoding.Latin1.GetBytes(query),
            Headers = requestHeaders ??
            [
                HeaderField.Of("host", "example.com"),
                HeaderField.Of("user-agent", "curl/8.5.0"),
                HeaderField.Of("referer", "https://example.org/start"),
                HeaderField.Of("x-request-id", "abc-123"),
            ],
            Client = unixSocket ? null : client ?? new IPEndPoint(IPAddress.Parse("192.0.2.7"), 51234),
            Server = new IPEndPoint(IPAddress.Loopback, 8000),
        };
        return new AccessLogEntry(
            scope,
            status,
            responseHeaders ?? [HeaderField.Of("content-type", "text/plain"), HeaderField.Of("content-length", "13")],
            bodyBytes,
            duration ?? TimeSpan.FromTicks(1_234_567_8), // 1.2345678 s
            timestamp ?? Noon);
    }
}
