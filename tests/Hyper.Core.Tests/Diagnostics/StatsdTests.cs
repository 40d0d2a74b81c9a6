using System.Net;
using System.Net.Sockets;
using System.Text;
using Hyper.Core.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hyper.Core.Tests.Diagnostics;

/// <summary>
/// The StatsD exporter's parts: Hypercorn's names and line format, summing per batch, datagrams within 1432 bytes,
/// the <c>statsd_host</c> syntax, a full queue dropping and counting instead of waiting, and lines reaching a UDP socket.
/// </summary>
public sealed class StatsdTests
{
    [Fact]
    public void Batch_WritesHypercornNames_WithPrefixDotAndDogstatsdTags_SummingCounters()
    {
        var batch = new StatsdBatch("app", "env:prod,team:web");
        batch.Add(new StatsdSample(StatsdSampleKind.Request, 1, Status: 200));
        batch.Add(new StatsdSample(StatsdSampleKind.Request, 1, Status: 200));
        batch.Add(new StatsdSample(StatsdSampleKind.Request, 1, Status: 404));
        batch.Add(new StatsdSample(StatsdSampleKind.Duration, 12.5));
        batch.Add(new StatsdSample(StatsdSampleKind.ActiveConnections, 1));
        batch.Add(new StatsdSample(StatsdSampleKind.ActiveConnections, 1));
        batch.Add(new StatsdSample(StatsdSampleKind.ActiveConnections, -1));
        batch.Add(new StatsdSample(StatsdSampleKind.BytesSent, 300));
        batch.Add(new StatsdSample(StatsdSampleKind.BytesSent, 200));
        batch.Add(new StatsdSample(StatsdSampleKind.RejectedRequest, 1, Label: "request_timeout"));
        batch.Add(new StatsdSample(StatsdSampleKind.LogMessage, 1, Label: "error"));

        var lines = Lines(batch.TakeDatagrams());

        lines.Should().BeEquivalentTo(
        [
            "app.hypercorn.requests:3|c|@1.0|#env:prod,team:web",
            "app.hypercorn.request.status.200:2|c|@1.0|#env:prod,team:web",
            "app.hypercorn.request.status.404:1|c|@1.0|#env:prod,team:web",
            "app.hypercorn.request.duration:12.5|ms|#env:prod,team:web",
            "app.hyper.connections.active:1|g|#env:prod,team:web",
            "app.hyper.requests.active:0|g|#env:prod,team:web",
            "app.hyper.bytes.sent:500|c|@1.0|#env:prod,team:web",
            "app.hyper.requests.rejected.request_timeout:1|c|@1.0|#env:prod,team:web",
            "app.hypercorn.log.error:1|c|@1.0|#env:prod,team:web",
        ]);
        batch.IsEmpty.Should().BeTrue();
        batch.TakeDatagrams().Should().BeEmpty("nothing changed since");
    }

    [Fact]
    public void Batch_WithoutPrefixOrTags_WritesBareLines_AndKeepsGaugeTotalsAcrossBatches()
    {
        var batch = new StatsdBatch("", "");
        batch.Add(new StatsdSample(StatsdSampleKind.ActiveRequests, 1));
        Lines(batch.TakeDatagrams()).Should().Contain("hyper.requests.active:1|g");
        batch.Add(new StatsdSample(StatsdSampleKind.ActiveRequests, 1));
        Lines(batch.TakeDatagrams()).Should().Equal("hyper.requests.active:2|g");

        var dotted = new StatsdBatch("already.", "");
        dotted.Add(new StatsdSample(StatsdSampleKind.Request, 1));
        Lines(dotted.TakeDatagrams()).Should().Contain("already.hypercorn.requests:1|c|@1.0", "a prefix ending in '.' gets no second one");
    }

    [Fact]
    public void Batch_PacksLinesIntoDatagramsOfAtMost1432Bytes_NeverSplittingALine()
    {
        var batch = new StatsdBatch("a-rather-long-prefix-for-this-service", "");
        for (var i = 0; i < 500; i++) batch.Add(new StatsdSample(StatsdSampleKind.Duration, i + 0.25));

        var datagrams = batch.TakeDatagrams();

        datagrams.Should().HaveCountGreaterThan(1);
        datagrams.Should().OnlyContain(d => d.Length <= StatsdBatch.MaxDatagramBytes);
        var lines = Lines(datagrams);
        lines.Count(l => l.Contains("hypercorn.request.duration:")).Should().Be(500);
        lines.Should().OnlyContain(l => l.StartsWith("a-rather-long-prefix-for-this-service.") && (l.EndsWith("|ms") || l.EndsWith("|g")));
    }

    [Theory]
    [InlineData("127.0.0.1:8125", "127.0.0.1", 8125)]
    [InlineData("localhost:9125", "localhost", 9125)]
    [InlineData("[::1]:8125", "::1", 8125)]
    public void Target_ParsesHostAndPort(string value, string host, int port) =>
        StatsdTarget.Parse(value).Should().Be(new StatsdTarget(host, port));

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:")]
    [InlineData(":8125")]
    [InlineData("::1:8125")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("host:+1")]
    public void Target_RefusesWhatIsNotHostPort(string value) => StatsdTarget.Parse(value).Should().BeNull();

    [Fact]
    public void Options_RejectABadStatsdHost_NamingTheKey()
    {
        var act = () => new Hyper.Core.Configuration.HyperOptions { StatsdHost = "nohost" }.Validate();
        act.Should().Throw<Hyper.Core.Configuration.OptionsValidationException>().Which.Message.Should().Contain("statsd_host");
    }

    [Fact]
    public async Task FullQueue_DropsAndCounts_WithoutWaiting_ThenReportsTheDropsOnTheWire()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var metrics = new HyperMetrics();
        var target = new StatsdTarget("127.0.0.1", ((IPEndPoint)receiver.LocalEndPoint!).Port);
        await using var exporter = new StatsdExporter(metrics, target, "", "", NullLogger.Instance, queueCapacity: 4, startSending: false);

        for (var i = 0; i < 10; i++) metrics.RequestEnded(false, "GET", "1.1", 200, null);

        exporter.Dropped.Should().Be(6);
        exporter.StartSending();
        var lines = await ReceiveLinesAsync(receiver, l => l.StartsWith("hyper.statsd.dropped:"));
        lines.Should().Contain("hypercorn.requests:4|c|@1.0").And.Contain("hyper.statsd.dropped:6|c|@1.0");
    }

    [Fact]
    public async Task Exporter_SendsMeasurementsOverUdp()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var metrics = new HyperMetrics();
        await using var exporter = new StatsdExporter(metrics, new StatsdTarget("127.0.0.1", ((IPEndPoint)receiver.LocalEndPoint!).Port),
            "hyper-test", "", NullLogger.Instance);

        metrics.RequestEnded(metrics.RequestStarted("2"), "POST", "2", 201, TimeSpan.FromMilliseconds(25));
        metrics.RequestRejected(431);
        exporter.CountLogMessage(Microsoft.Extensions.Logging.LogLevel.Error, withException: true);

        var lines = await ReceiveLinesAsync(receiver, l => l.StartsWith("hyper-test.hypercorn.log.exception"));
        lines.Should().Contain("hyper-test.hypercorn.requests:1|c|@1.0")
            .And.Contain("hyper-test.hypercorn.request.status.201:1|c|@1.0")
            .And.Contain("hyper-test.hypercorn.request.duration:25|ms")
            .And.Contain("hyper-test.hyper.requests.rejected.header_fields_too_large:1|c|@1.0")
            .And.Contain("hyper-test.hypercorn.log.exception:1|c|@1.0");
    }

    /// <summary>Lines received until one matches <paramref name="last"/> (bounded: 10 s).</summary>
    private static async Task<List<string>> ReceiveLinesAsync(Socket receiver, Func<string, bool> last)
    {
        var lines = new List<string>();
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!lines.Any(last))
        {
            var received = await receiver.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            lines.AddRange(Encoding.ASCII.GetString(buffer, 0, received).Split('\n'));
        }
        return lines;
    }

    private static List<string> Lines(IEnumerable<byte[]> datagrams) =>
        datagrams.SelectMany(d => Encoding.ASCII.GetString(d).Split('\n')).ToList();
}
