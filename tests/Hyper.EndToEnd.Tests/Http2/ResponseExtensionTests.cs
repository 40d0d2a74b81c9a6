namespace Hyper.EndToEnd.Tests.Http2;

/// <summary>
/// The ASGI response extensions HTTP/2 adds, with real clients on every backend: 103 Early Hints
/// (<c>http.response.early_hint</c>, also over HTTP/1.1) and server push (<c>http.response.push</c>) to nghttp, which
/// allows push; curl, which does not, is not pushed to.
/// </summary>
public sealed class ResponseExtensionTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task EarlyHint_Http2AndHttp11_103BeforeTheResponse(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);
        var url = new Uri(server.BaseUri, "hints").ToString();

        var h2 = await ExternalTool.RunAsync("curl", ToolTimeout, ["-sS", "-v", "--http2-prior-knowledge", url]);
        var h1 = await ExternalTool.RunAsync("curl", ToolTimeout, ["-sS", "-v", url]);

        h2.ExitCode.Should().Be(0, h2.Stderr);
        h2.Stderr.Should().Contain("< HTTP/2 103").And.Contain("< link: </style.css>; rel=preload; as=style").And.Contain("< HTTP/2 200");
        h2.Stdout.Should().Be("hinted");
        h1.ExitCode.Should().Be(0, h1.Stderr);
        h1.Stderr.Should().Contain("< HTTP/1.1 103 Early Hints").And.Contain("< HTTP/1.1 200");
        h1.Stdout.Should().Be("hinted");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Push_ClientAllowsIt_PromisedAndServed(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);

        var result = await ExternalTool.RunAsync("nghttp", ToolTimeout, ["-nv", new Uri(server.BaseUri, "push").ToString()]);

        result.ExitCode.Should().Be(0, result.Stderr + result.Stdout);
        result.Stdout.Should().Contain("recv PUSH_PROMISE frame").And.Contain("promised_stream_id=2)")
            .And.Contain("recv (stream_id=2) :status: 200")
            .And.Contain("recv (stream_id=2) x-pushed-accept: text/css");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Push_ClientDisallowsIt_NotOfferedAndIgnored(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);

        // curl sends SETTINGS_ENABLE_PUSH = 0.
        var result = await ExternalTool.RunAsync("curl", ToolTimeout, ["-sS", "--http2-prior-knowledge", new Uri(server.BaseUri, "push").ToString()]);

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Be("no push");
    }
}
