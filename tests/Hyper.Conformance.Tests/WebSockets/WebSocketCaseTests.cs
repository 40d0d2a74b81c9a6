using System.Net;
using Hyper.Conformance.WebSockets;
using EndToEndBackends = Hyper.EndToEnd.Tests.Backends;

namespace Hyper.Conformance.Tests.WebSockets;

/// <summary>
/// Plays every WebSocket case against a real Hyper server on every backend over HTTP/1.1, and the HTTP/2 subset over
/// h2c extended CONNECT (RFC 8441). A case passes only with the exact echo or close code its RFC section requires; a
/// failure names the case, the rule, and every frame the server sent.
/// </summary>
public sealed class WebSocketCaseTests(WebSocketServers servers) : IClassFixture<WebSocketServers>
{
    public static TheoryData<string, string> Http11Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var backend in EndToEndBackends.All)
        {
            foreach (var @case in WebSocketCases.All) cases.Add(backend, @case.Id);
        }
        return cases;
    }

    public static TheoryData<string, string> Http2Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var backend in EndToEndBackends.All)
        {
            foreach (var @case in WebSocketCases.All.Where(c => c.OverHttp2)) cases.Add(backend, @case.Id);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Http11Cases))]
    [Trait("rfc", "6455")]
    public async Task Case_OverHttp11_MeetsExpectation(string backend, string id)
    {
        var @case = WebSocketCases.Named(id);
        var server = await servers.ForAsync(backend, @case.Profile);
        var runner = new WebSocketCaseRunner(() => new Http11WebSocketTransport(new IPEndPoint(IPAddress.Loopback, server.Port)));

        var verdict = await runner.RunAsync(@case).WaitAsync(@case.Budget + TimeSpan.FromSeconds(10));

        verdict.Explain().Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(Http2Cases))]
    [Trait("rfc", "8441")]
    public async Task Case_OverHttp2ExtendedConnect_MeetsExpectation(string backend, string id)
    {
        var @case = WebSocketCases.Named(id);
        var server = await servers.ForAsync(backend, @case.Profile);
        var runner = new WebSocketCaseRunner(() => new Http2WebSocketTransport(new IPEndPoint(IPAddress.Loopback, server.Port)));

        var verdict = await runner.RunAsync(@case).WaitAsync(@case.Budget + TimeSpan.FromSeconds(10));

        verdict.Explain().Should().BeNull();
    }

    [Fact]
    public async Task Runner_WithAWrongCloseCode_ReportsTheCodeItGot()
    {
        var @case = WebSocketCases.Named("ws/6.4.1") with { Expected = new WebSocketExpectation.Fails(1002) };
        var server = await servers.ForAsync(Hyper.Backends.ThreadPool.ThreadPoolBackend.BackendName, @case.Profile);
        var runner = new WebSocketCaseRunner(() => new Http11WebSocketTransport(new IPEndPoint(IPAddress.Loopback, server.Port)));

        var verdict = await runner.RunAsync(@case).WaitAsync(TimeSpan.FromSeconds(30));

        verdict.Passed.Should().BeFalse();
        verdict.Failure.Should().Be("expected Close 1002, got 1007");
    }

    [Fact]
    public async Task Runner_WithAWrongEcho_Fails()
    {
        var original = WebSocketCases.Named("ws/1.1.2");
        var @case = original with { Steps = [original.Steps[0], new WebSocketStep.ExpectMessage(ClientFrame.Text, new byte[125])] };
        var server = await servers.ForAsync(Hyper.Backends.ThreadPool.ThreadPoolBackend.BackendName, @case.Profile);
        var runner = new WebSocketCaseRunner(() => new Http2WebSocketTransport(new IPEndPoint(IPAddress.Loopback, server.Port)));

        var verdict = await runner.RunAsync(@case).WaitAsync(TimeSpan.FromSeconds(30));

        verdict.Passed.Should().BeFalse();
        verdict.Transport.Should().Be("HTTP/2");
        verdict.Failure.Should().StartWith("expected the echo TEXT of 125 bytes");
    }
}
