using System.Security.Cryptography;

namespace Hyper.EndToEnd.Tests;

/// <summary>
/// Hyper against the real curl binary (docs/architecture.md, Test peers): uploads in each framing, HEAD, 100-continue, connection
/// reuse and HTTP/1.0. curl is strict about what it reads, so these catch framing bugs a .NET client forgives.
/// </summary>
public sealed class CurlTests : IDisposable
{
    private static readonly TimeSpan CurlTimeout = TimeSpan.FromSeconds(20);
    private readonly string _directory = Directory.CreateTempSubdirectory("hyper-curl-").FullName;

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Get_Root_ReturnsHello(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);

        var result = await RunCurlAsync("-sS", server.BaseUri.ToString());

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Be("Hello, World!");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Post_OneMebibyteFile_EchoedIntact(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        var (upload, expected) = WriteRandomFile(1024 * 1024);
        var output = Path.Combine(_directory, "echoed.bin");

        var result = await RunCurlAsync("-sS", "--data-binary", "@" + upload, "-H", "Content-Type: application/octet-stream",
            "-o", output, new Uri(server.BaseUri, "echo").ToString());

        result.ExitCode.Should().Be(0, result.Stderr);
        File.ReadAllBytes(output).Should().Equal(expected);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Post_ChunkedUpload_EchoedIntact(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        var (upload, expected) = WriteRandomFile(300_000);
        var output = Path.Combine(_directory, "echoed.bin");

        var result = await RunCurlAsync("-sS", "-v", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + upload,
            "-o", output, new Uri(server.BaseUri, "echo").ToString());

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stderr.Should().Contain("> Transfer-Encoding: chunked", "curl must really have sent a chunked body");
        File.ReadAllBytes(output).Should().Equal(expected);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Head_Root_HeadersWithoutBody(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);

        var result = await RunCurlAsync("-sS", "--head", server.BaseUri.ToString());

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().StartWith("HTTP/1.1 200");
        result.Stdout.Should().ContainEquivalentOf("content-type: text/plain");
        // RFC 9110 §9.3.2: the server MUST NOT send content in a HEAD response; curl prints only the head.
        result.Stdout.Should().EndWith("\r\n\r\n").And.NotContain("Hello, World!");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Post_Expect100Continue_InterimThenEcho(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        var (upload, expected) = WriteRandomFile(200_000);
        var output = Path.Combine(_directory, "echoed.bin");

        // --expect100-timeout far above curl's 1 s default: the body must go because the 100 came, not because curl gave up waiting.
        var result = await RunCurlAsync("-sS", "-v", "--expect100-timeout", "15", "-H", "Expect: 100-continue", "--data-binary", "@" + upload,
            "-o", output, new Uri(server.BaseUri, "echo").ToString());

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stderr.Should().Contain("< HTTP/1.1 100");
        File.ReadAllBytes(output).Should().Equal(expected);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Get_TwoUrls_ReuseOneConnection(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);

        var result = await RunCurlAsync("-sS", "-v", server.BaseUri.ToString(), new Uri(server.BaseUri, "path").ToString());

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Be("Hello, World!GET /path  1.1 ");
        result.Stderr.Should().Contain("Re-using existing connection");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Get_Http10_AnsweredAsHttp10(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);

        var result = await RunCurlAsync("-sS", "-i", "--http1.0", new Uri(server.BaseUri, "path").ToString());

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().StartWith("HTTP/1.");
        result.Stdout.Should().EndWith("GET /path  1.0 ");
    }

    private (string Path, byte[] Content) WriteRandomFile(int length)
    {
        var content = RandomNumberGenerator.GetBytes(length);
        var path = Path.Combine(_directory, "upload.bin");
        File.WriteAllBytes(path, content);
        return (path, content);
    }

    private static Task<ExternalTool.Result> RunCurlAsync(params string[] arguments) =>
        ExternalTool.RunAsync("curl", CurlTimeout + TimeSpan.FromSeconds(5),
            ["--max-time", ((int)CurlTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments]);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
