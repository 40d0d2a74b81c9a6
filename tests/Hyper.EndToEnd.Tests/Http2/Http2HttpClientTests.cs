using System.Net;
using System.Security.Cryptography;

namespace Hyper.EndToEnd.Tests.Http2;

/// <summary>
/// .NET's HttpClient speaking HTTP/2 with prior knowledge (h2c) to Hyper on every backend: large bodies both ways
/// (flow control), many concurrent streams on one connection, trailers, and a client that cancels mid-response.
/// </summary>
public sealed class Http2HttpClientTests
{
    private static HttpClient CreateH2Client() => new(new SocketsHttpHandler { EnableMultipleHttp2Connections = false })
    {
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(30),
    };

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Get_PriorKnowledge_ServedOverHttp2(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);
        using var client = CreateH2Client();

        using var response = await client.GetAsync(new Uri(server.BaseUri, "scope?x=1"));

        response.Version.Should().Be(HttpVersion.Version20);
        (await response.Content.ReadAsStringAsync()).Should().Be("2 http GET /scope x=1");
        response.Headers.Server.ToString().Should().Contain("hyper");
        response.Content.Headers.ContentLength.Should().Be("2 http GET /scope x=1".Length);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Post_FiveMebibytes_EchoedIntact(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);
        using var client = CreateH2Client();
        var payload = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);

        using var response = await client.PostAsync(new Uri(server.BaseUri, "echo"), new ByteArrayContent(payload));

        response.Version.Should().Be(HttpVersion.Version20);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(payload);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Get_ResponseLargerThanWindows_ArrivesIntact(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);
        using var client = CreateH2Client();

        var body = await client.GetByteArrayAsync(new Uri(server.BaseUri, "big"));

        body.Should().Equal(Http2Apps.ExpectedBig());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ManyConcurrentStreams_OneConnection_AllServed(string backend)
    {
        var connections = 0;
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = false,
            ConnectCallback = async (context, token) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        // 100 handlers that each take 200 ms: served concurrently they finish in well under 100 × 200 ms.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.GetStringAsync(new Uri(server.BaseUri, "slow"))));

        responses.Should().AllBe("slow");
        connections.Should().Be(1);
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the streams run concurrently, not one after another");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Trailers_BothWays_Delivered(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);
        using var client = CreateH2Client();
        var payload = RandomNumberGenerator.GetBytes(100_000);

        using var response = await client.PostAsync(new Uri(server.BaseUri, "trailers"), new ByteArrayContent(payload));
        var text = await response.Content.ReadAsStringAsync();

        text.Should().Be("got 100000 bytes");
        response.TrailingHeaders.GetValues("x-checksum").Should().Equal("100000");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ClientCancelsMidResponse_ConnectionKeepsServing(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);
        using var client = CreateH2Client();

        using (var response = await client.GetAsync(new Uri(server.BaseUri, "big"), HttpCompletionOption.ResponseHeadersRead))
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[1000];
            await stream.ReadAtLeastAsync(buffer, buffer.Length);
            // Disposing the response mid-body makes HttpClient send RST_STREAM(CANCEL).
        }

        (await client.GetStringAsync(new Uri(server.BaseUri, "scope"))).Should().Be("2 http GET /scope ");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Http11Client_SamePort_StillServed(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri(server.BaseUri, "scope"));

        response.Version.Should().Be(HttpVersion.Version11);
        (await response.Content.ReadAsStringAsync()).Should().Be("1.1 http GET /scope ");
    }
}
