using System.Net;
using Hyper.Core.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hyper.EndToEnd.Tests.Metrics;

/// <summary>
/// StatsD over real UDP: a server's requests (HTTP/1.1 and HTTP/2) arrive as Hypercorn's metric lines on every backend,
/// and the real <c>hyper</c> command with <c>--workers 2 --statsd-host</c> sends from every worker process.
/// </summary>
public sealed class StatsdEndToEndTests
{
    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Requests_ArriveAsHypercornLines_WithPrefixAndTags(string backend)
    {
        await using var receiver = new StatsdReceiver();
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        var target = StatsdTarget.Parse(receiver.Address)!;
        await using (var exporter = new StatsdExporter(server.Server.Metrics, target, "svc", "env:test", NullLogger.Instance))
        {
            using var http11 = server.CreateClient();
            for (var i = 0; i < 3; i++) (await http11.GetStringAsync("/")).Should().Be("Hello, World!");
            using var http2 = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(15) };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/path") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using (var response = await http2.SendAsync(request)) response.Version.Should().Be(HttpVersion.Version20);

            var lines = await receiver.WaitForAsync(l => StatsdReceiver.CounterSum(l, "svc.hypercorn.requests") >= 4, TimeSpan.FromSeconds(10));

            StatsdReceiver.CounterSum(lines, "svc.hypercorn.requests").Should().Be(4);
            StatsdReceiver.CounterSum(lines, "svc.hypercorn.request.status.200").Should().Be(4);
            lines.Count(l => l.Line.StartsWith("svc.hypercorn.request.duration:") && l.Line.EndsWith("|ms|#env:test")).Should().Be(4);
            StatsdReceiver.CounterSum(lines, "svc.hyper.bytes.received").Should().BeGreaterThan(0);
            lines.Should().Contain(l => l.Line.StartsWith("svc.hyper.connections.active:") && l.Line.EndsWith("|g|#env:test"));
            lines.Should().OnlyContain(l => l.Line.StartsWith("svc.") && l.Line.EndsWith("|#env:test"));
        }
    }

    [Fact]
    public async Task Workers2_EveryWorkerSends()
    {
        await using var receiver = new StatsdReceiver();
        using var hyper = HyperProcess.Start(HyperProcess.HelloApp, "--bind", "127.0.0.1:0", "--workers", "2",
            "--statsd-host", receiver.Address, "--statsd-prefix", "hyper-workers");
        var port = await hyper.WaitForPortAsync(TimeSpan.FromSeconds(60));
        // Each worker's exporter reports its gauges at 0 as soon as it starts, from its own UDP socket.
        var lines = await receiver.WaitForAsync(l => l.Select(x => x.SenderPort).Distinct().Count() >= 2, TimeSpan.FromSeconds(60));
        lines.Select(l => l.SenderPort).Distinct().Should().HaveCountGreaterThanOrEqualTo(2, "both workers send; stderr: {0}", hyper.Stderr);

        using (var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            for (var i = 0; i < 10; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
                request.Headers.ConnectionClose = true;
                using var response = await client.SendAsync(request);
                (await response.Content.ReadAsStringAsync()).Should().Be("Hello, World!");
            }
        }
        lines = await receiver.WaitForAsync(l => StatsdReceiver.CounterSum(l, "hyper-workers.hypercorn.requests") >= 10, TimeSpan.FromSeconds(10));
        StatsdReceiver.CounterSum(lines, "hyper-workers.hypercorn.requests").Should().Be(10);
        StatsdReceiver.CounterSum(lines, "hyper-workers.hypercorn.request.status.200").Should().Be(10);

        hyper.SendSigterm();
        (await hyper.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, "stderr: {0}", hyper.Stderr);
    }
}
