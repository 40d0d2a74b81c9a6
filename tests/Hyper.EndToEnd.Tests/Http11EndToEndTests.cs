using System.Net;
using System.Text;
using Hyper.Core.Application;

namespace Hyper.EndToEnd.Tests;

public sealed class Http11EndToEndTests
{
    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Get_WithHttpClient_ReturnsBodyWithServerAndDateHeaders(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        using var client = server.CreateClient();

        using var response = await client.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Hello, World!");
        response.Headers.Server.ToString().Should().Be("hyper");
        response.Headers.Date.Should().NotBeNull();
        response.Content.Headers.ContentLength.Should().Be(13);
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Post_LargeBody_IsEchoedIntact(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        using var client = server.CreateClient();
        var payload = new byte[3 * 1024 * 1024 + 7];
        new Random(42).NextBytes(payload);

        using var response = await client.PostAsync("/echo", new ByteArrayContent(payload));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(payload);
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Post_ChunkedRequestBody_IsEchoed(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
        var response = await client.ReadResponseAsync();

        response.Status.Should().Be(200);
        response.BodyText.Should().Be("hello world");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Get_StreamedResponse_IsChunked(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = await client.ReadResponseAsync();

        response.Chunked.Should().BeTrue();
        response.BodyText.Should().Be("chunk0;chunk1;chunk2;chunk3;chunk4;");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Head_SendsHeadersWithoutBody_AndConnectionStaysUsable(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        var head = await client.ReadResponseAsync(headRequest: true);
        var get = await client.ReadResponseAsync();

        head.Status.Should().Be(200);
        head.Header("content-length").Should().Be("13");
        get.BodyText.Should().Be("Hello, World!");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Pipelining_ThreeRequestsInOneWrite_AnsweredInOrder(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync(
            "GET /path?a=1 HTTP/1.1\r\nHost: x\r\n\r\n" +
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody" +
            "GET /path?c=3 HTTP/1.1\r\nHost: x\r\n\r\n");

        (await client.ReadResponseAsync()).BodyText.Should().StartWith("GET /path a=1 1.1");
        (await client.ReadResponseAsync()).BodyText.Should().Be("body");
        (await client.ReadResponseAsync()).BodyText.Should().StartWith("GET /path c=3 1.1");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Scope_PercentEncodedPath_IsDecodedAndRawPathKept(string backend)
    {
        HttpScope? seen = null;
        await using var server = await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is HttpScope http) seen = http;
            await Apps.RespondAsync(send, 200, "ok");
        }, o => o with { RootPath = "/mount" });
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("GET /caf%C3%A9/x%20y?q=%20 HTTP/1.1\r\nHost: example.com\r\nX-Custom: Value\r\n\r\n");
        await client.ReadResponseAsync();

        seen!.Path.Should().Be("/café/x y");
        Encoding.ASCII.GetString(seen.RawPath.Span).Should().Be("/caf%C3%A9/x%20y");
        Encoding.ASCII.GetString(seen.QueryString.Span).Should().Be("q=%20");
        seen.RootPath.Should().Be("/mount");
        seen.Scheme.Should().Be("http");
        seen.Client!.Address.Should().Be(IPAddress.Loopback);
        seen.Headers.Should().Contain(h => h.NameString == "x-custom" && h.ValueString == "Value");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Http10_WithoutKeepAlive_ClosesAfterResponse(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("GET / HTTP/1.0\r\n\r\n");
        var response = await client.ReadResponseAsync();

        response.StatusLine.Should().StartWith("HTTP/1.1 200");
        response.BodyText.Should().Be("Hello, World!");
        (await client.WaitForCloseAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ServerHeader_TurnedOff_IsNotSent(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic, o => o with { IncludeServerHeader = false });
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = await client.ReadResponseAsync();

        response.Header("server").Should().BeNull();
        response.Header("date").Should().NotBeNull();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ServerNames_UnknownHost_Gets404(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic, o => o with { ServerNames = ["good.example"] });
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\nGET / HTTP/1.1\r\nHost: good.example\r\n\r\n");

        (await client.ReadResponseAsync()).Status.Should().Be(404);
        (await client.ReadResponseAsync()).Status.Should().Be(200);
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task KeepAliveMaxRequests_LastResponseClosesConnection(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic, o => o with { KeepAliveMaxRequests = 3 });
        using var client = await RawHttpClient.ConnectAsync(server);

        for (var i = 0; i < 3; i++) await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        var responses = new List<RawResponse>();
        for (var i = 0; i < 3; i++) responses.Add(await client.ReadResponseAsync());

        responses[0].Header("connection").Should().BeNull();
        responses[2].Header("connection").Should().Be("close");
        (await client.WaitForCloseAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task AccessLog_RecordsEachRequest(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        using var client = server.CreateClient();

        (await client.GetAsync("/path?z=1")).Dispose();

        var entry = (await server.AccessLog.WaitForAsync(1))[0];
        entry.Status.Should().Be(200);
        entry.Scope.Path.Should().Be("/path");
        entry.ResponseBodyBytes.Should().BeGreaterThan(0);
    }
}
