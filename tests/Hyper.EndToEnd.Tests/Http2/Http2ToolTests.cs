using System.Security.Cryptography;

namespace Hyper.EndToEnd.Tests.Http2;

/// <summary>
/// Hyper's HTTP/2 against real clients on every backend (docs/architecture.md, Test peers): curl with prior knowledge, nghttp (which
/// prints every frame), and a python3-h2 client driving frames directly.
/// </summary>
public sealed class Http2ToolTests : IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("hyper-h2-").FullName;

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Curl_PriorKnowledge_GetAndUpload(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);
        var upload = Path.Combine(_directory, "upload.bin");
        var payload = RandomNumberGenerator.GetBytes(1024 * 1024);
        await File.WriteAllBytesAsync(upload, payload);
        var echoed = Path.Combine(_directory, "echoed.bin");

        var get = await ExternalTool.RunAsync("curl", ToolTimeout, ["-sS", "-i", "--http2-prior-knowledge", new Uri(server.BaseUri, "scope").ToString()]);
        var post = await ExternalTool.RunAsync("curl", ToolTimeout,
            ["-sS", "--http2-prior-knowledge", "--data-binary", "@" + upload, "-o", echoed, new Uri(server.BaseUri, "echo").ToString()]);

        get.ExitCode.Should().Be(0, get.Stderr);
        get.Stdout.Should().StartWith("HTTP/2 200").And.EndWith("2 http GET /scope ");
        post.ExitCode.Should().Be(0, post.Stderr);
        (await File.ReadAllBytesAsync(echoed)).Should().Equal(payload);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Nghttp_SeesOurSettingsAndStreamedResponse(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);

        var result = await ExternalTool.RunAsync("nghttp", ToolTimeout, ["-nv", new Uri(server.BaseUri, "stream").ToString()]);

        result.ExitCode.Should().Be(0, result.Stderr + result.Stdout);
        result.Stdout.Should().Contain("[SETTINGS_MAX_CONCURRENT_STREAMS(0x03):100]")
            .And.Contain("[SETTINGS_INITIAL_WINDOW_SIZE(0x04):786432]")
            .And.Contain("recv (stream_id=13) :status: 200")
            .And.Contain("recv SETTINGS frame <length=0, flags=0x01, stream_id=0>");
        result.Stdout.Split('\n').Count(l => l.Contains("recv DATA frame") && l.Contains("stream_id=13")).Should().BeGreaterThanOrEqualTo(2);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Nghttp_UploadAndBigDownload_Intact(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);
        var upload = Path.Combine(_directory, "upload.txt");
        await File.WriteAllTextAsync(upload, new string('x', 200_000));

        var echo = await ExternalTool.RunAsync("nghttp", ToolTimeout, ["-d", upload, new Uri(server.BaseUri, "echo").ToString()]);
        // -v: every frame is printed, so a failure shows how the stream or the connection ended.
        var big = await ExternalTool.RunAsync("nghttp", ToolTimeout, ["-nsv", new Uri(server.BaseUri, "big").ToString()]);

        echo.ExitCode.Should().Be(0, echo.Stderr);
        echo.Stdout.Should().Be(new string('x', 200_000));
        big.ExitCode.Should().Be(0, big.Stderr);
        // nghttp -s prints "<id> <times> <code> <size> <path>", the size in human units. nghttp exits 0 even when the
        // connection ended early ("Some requests were not processed" on stderr), so the frames are the evidence.
        var frames = string.Join('\n', big.Stdout.Split('\n').Where(l => !l.Contains("recv DATA frame")).TakeLast(40));
        big.Stdout.Should().MatchRegex(@"\s200\s+3M\s+/big",
            "nghttp received the whole 3 MiB body (stderr: {0}; last frames other than DATA:\n{1}\nserver log:\n{2})", big.Stderr, frames, server.ServerLog);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task PythonH2_ConcurrentStreams_EachAnswered(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);

        var result = await RunPythonAsync(server.Port, "concurrent");

        result.Should().Contain("setting MAX_CONCURRENT_STREAMS=100").And.Contain("setting MAX_HEADER_LIST_SIZE=32768");
        foreach (var id in new[] { 1, 3, 5 })
            result.Should().Contain($"response {id} 200").And.Contain($"data {id} 2 http GET /scope s={id}");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task PythonH2_MalformedHeader_StreamErrorConnectionLives(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);

        var result = await RunPythonAsync(server.Port, "malformed");

        // RST_STREAM (type 3) on stream 3 with PROTOCOL_ERROR (1), and the connection still answers a PING.
        result.Should().Contain("frame type=3 stream=3 code=1").And.Contain("ping-ack True");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task PythonH2_ResetMidResponse_NextStreamServed(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);

        var result = await RunPythonAsync(server.Port, "reset");

        result.Should().Contain("data 3 2 http GET /scope ");
    }

    private static async Task<string> RunPythonAsync(int port, string scenario)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Http2", "h2_client.py");
        // Debian's python3-h2 loads in /usr/bin/python3, not in whatever python3 is first on PATH (docs/architecture.md, Test peers).
        var result = await ExternalTool.RunAsync("/usr/bin/python3", ToolTimeout, [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), scenario]);
        result.ExitCode.Should().Be(0, result.Stderr);
        return result.Stdout;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
