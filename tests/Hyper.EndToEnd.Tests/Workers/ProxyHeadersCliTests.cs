namespace Hyper.EndToEnd.Tests.Workers;

/// <summary>
/// <c>--forwarded-allow-ips</c> through the real <c>hyper</c> process: a request from an allow-listed peer (this
/// test, on 127.0.0.1) is seen with the forwarded client, scheme, host and prefix; from a peer not on the list the
/// same headers change nothing.
/// </summary>
public sealed class ProxyHeadersCliTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("127.0.0.1", "203.0.113.7 https example.com /api")]
    [InlineData("10.0.0.0/8", "127.0.0.1 http 127.0.0.1:{port} ")]
    public async Task ForwardedAllowIps_TrustedPeerApplied_OtherPeerIgnored(string allowed, string expected)
    {
        using var hyper = HyperProcess.Start(WorkerApps.Reference(nameof(WorkerApps.EchoOrigin)), "--bind", "127.0.0.1:0",
            "--forwarded-allow-ips", allowed);
        var port = await hyper.WaitForPortAsync(Timeout);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "example.com");
        request.Headers.Add("X-Forwarded-Prefix", "/api");

        using var response = await client.SendAsync(request);

        (await response.Content.ReadAsStringAsync()).Should().Be(expected.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        hyper.SendSigterm();
        (await hyper.WaitForExitAsync(Timeout)).Should().Be(0);
    }
}
