namespace Hyper.EndToEnd.Tests.Http2;

/// <summary>
/// HTTP/1.1 → HTTP/2 with <c>Upgrade: h2c</c> (RFC 7540 §3.2) on every backend, and the switch that turns it off
/// behind proxies that tunnel upgrades (docs/security.md H2-16).
/// </summary>
public sealed class H2cUpgradeTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task CurlUpgrade_Allowed_SwitchesAndAnswersOverHttp2(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);

        var result = await ExternalTool.RunAsync("curl", ToolTimeout, ["-sS", "-v", "--http2", new Uri(server.BaseUri, "scope?u=1").ToString()]);

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stderr.Should().Contain("< HTTP/1.1 101 Switching Protocols").And.Contain("< HTTP/2 200");
        result.Stdout.Should().Be("2 http GET /scope u=1");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task CurlUpgrade_SwitchedOff_PlainHttp11(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App,
            o => o with { Http2 = o.Http2 with { AllowH2cUpgrade = false } });

        var result = await ExternalTool.RunAsync("curl", ToolTimeout, ["-sS", "-v", "--http2", new Uri(server.BaseUri, "scope").ToString()]);

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stderr.Should().NotContain("101 Switching Protocols").And.Contain("< HTTP/1.1 200");
        result.Stdout.Should().Be("1.1 http GET /scope ");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Upgrade_WithBody_ServedAsHttp11(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);

        var result = await ExternalTool.RunAsync("curl", ToolTimeout, ["-sS", "-v", "--http2", "-d", "payload", new Uri(server.BaseUri, "echo").ToString()]);

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stderr.Should().NotContain("101 Switching Protocols");
        result.Stdout.Should().Be("payload");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Upgrade_InvalidSettings_IgnoredAndServedAsHttp11(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUri, "scope"));
        // Settings that cannot be base64url of a SETTINGS payload (length not a multiple of 6).
        request.Headers.TryAddWithoutValidation("Upgrade", "h2c");
        request.Headers.TryAddWithoutValidation("HTTP2-Settings", "AAMA");
        request.Headers.TryAddWithoutValidation("Connection", "Upgrade, HTTP2-Settings");

        using var response = await client.SendAsync(request);

        // Unusable settings: the upgrade is ignored (RFC 9110 §7.8 lets a server do so) and HTTP/1.1 answers.
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("1.1 http GET /scope ");
    }
}
