using System.Diagnostics;
using System.Net;

namespace Hyper.EndToEnd.Tests.Http2.Attacks;

/// <summary>
/// docs/security.md SL-02 over HTTP/2 (Slow POST): a request body that stops coming while the client is free to send
/// it is answered 408 after min_request_body_rate_grace, on every backend, and the connection goes on serving.
/// </summary>
public sealed class Http2SlowBodyTests
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SlowPost_BodyStopsComing_Answered408AndConnectionLives(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App, o => o with { MinRequestBodyRateGrace = TimeSpan.FromSeconds(1) });
        using var client = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = false })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(20),
        };
        var watch = Stopwatch.StartNew();

        using var response = await client.PostAsync(new Uri(server.BaseUri, "echo"), new StallingContent());
        var elapsed = watch.Elapsed;
        var next = await client.GetStringAsync(new Uri(server.BaseUri, "scope"));

        response.StatusCode.Should().Be(HttpStatusCode.RequestTimeout, server.ServerLog.ToString());
        elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1)).And.BeLessThan(TimeSpan.FromSeconds(10));
        next.Should().Be("2 http GET /scope ", "a slow body costs its stream, not the connection");
    }

    /// <summary>Ten bytes of body, then nothing until the request is cancelled.</summary>
    private sealed class StallingContent : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync("0123456789"u8.ToArray(), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
