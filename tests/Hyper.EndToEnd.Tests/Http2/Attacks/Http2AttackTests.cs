using System.Diagnostics;
using System.Net;
using Hyper.Http2.Frames;

namespace Hyper.EndToEnd.Tests.Http2.Attacks;

/// <summary>
/// docs/security.md Part C over real sockets, on every backend: the attack runs at full speed against a live server while
/// a normal HTTP/2 client asks for pages; the defence must fire in bounded time and the normal client stay served.
/// Numbers are scaled down from the rows to keep each test within a few seconds (see each test).
/// </summary>
public sealed class Http2AttackTests
{
    private static HttpClient CreateH2Client() => new(new SocketsHttpHandler { EnableMultipleHttp2Connections = false })
    {
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>A normal client asking for a page every 20 ms until told to stop; returns each request's latency.</summary>
    private static async Task<List<TimeSpan>> ServeNormalClientAsync(TestServer server, CancellationToken stop)
    {
        using var client = CreateH2Client();
        var latencies = new List<TimeSpan>();
        while (!stop.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(new Uri(server.BaseUri, "fine"), CancellationToken.None);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            (await response.Content.ReadAsStringAsync(CancellationToken.None)).Should().NotBeEmpty();
            response.Version.Should().Be(HttpVersion.Version20);
            latencies.Add(watch.Elapsed);
            await Task.Delay(20, CancellationToken.None);
        }
        return latencies;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task RapidReset_PairsAtFullSpeed_HandlersBoundedGoAwayAndOtherClientServed(string backend)
    {
        // Row H2-11: 200 ms handler with an in-flight gauge; 100k pairs within 10 s → gauge ≤ 100, GOAWAY(EYC) ≤ 2 s.
        // Here up to 20k pairs, sent in batches of 100 as fast as the socket takes them.
        var gauge = new InFlightGauge(TimeSpan.FromMilliseconds(200));
        await using var server = await TestServer.StartAsync(backend, gauge.App);
        using var stopNormal = new CancellationTokenSource();
        var normal = ServeNormalClientAsync(server, stopNormal.Token);
        await using var attacker = await Http2AttackClient.ConnectAsync(server.Port);
        attacker.StartReading();
        await attacker.TrySendAsync(Http2AttackClient.Hello(), TimeSpan.FromSeconds(2));

        var watch = Stopwatch.StartNew();
        var streamId = 1;
        for (var batch = 0; batch < 200 && !attacker.Closed.Task.IsCompleted; batch++)
        {
            var bytes = new List<byte>();
            for (var i = 0; i < 100; i++, streamId += 2) bytes.AddRange([.. attacker.Get(streamId, "/slow"), .. Http2AttackClient.RstStream(streamId)]);
            if (!await attacker.TrySendAsync(bytes.ToArray(), TimeSpan.FromSeconds(2))) break;
        }
        var closed = await attacker.WaitClosedAsync(TimeSpan.FromSeconds(5));
        var elapsed = watch.Elapsed;
        await Task.Delay(300); // let the normal client make a request or two after the attack, too
        await stopNormal.CancelAsync();
        var latencies = await normal;

        closed.Should().BeTrue("the flood must end the connection");
        attacker.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        gauge.Max.Should().BeLessThanOrEqualTo(100, "reset streams keep their handler slot until the handler returns");
        gauge.Started.Should().BeLessThanOrEqualTo(200);
        latencies.Should().NotBeEmpty();
        latencies.Max().Should().BeLessThan(TimeSpan.FromSeconds(1), "the other client is served during the attack");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task PingFlood_ClientNeverReads_ConnectionClosedAndOtherClientServed(string backend)
    {
        // Row H2-02: 200k PINGs with SO_RCVBUF 4 KiB, never reading → closed. Sent in 64 KiB writes until the server closes.
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        using var stopNormal = new CancellationTokenSource();
        var normal = ServeNormalClientAsync(server, stopNormal.Token);
        await using var attacker = await Http2AttackClient.ConnectAsync(server.Port, receiveBuffer: 4096);
        var watch = Stopwatch.StartNew();
        var pings = Enumerable.Range(0, 64 * 1024 / 17).SelectMany(i => Http2AttackClient.Ping((ulong)i)).ToArray();

        await attacker.TrySendAsync(Http2AttackClient.Hello(), TimeSpan.FromSeconds(2));
        for (var sent = 0; sent < 200_000; sent += 64 * 1024 / 17)
        {
            if (!await attacker.TrySendAsync(pings, TimeSpan.FromSeconds(1))) break;
        }
        attacker.StartDetectingClose();
        var closed = await attacker.WaitClosedAsync(TimeSpan.FromSeconds(5));
        var elapsed = watch.Elapsed;
        await stopNormal.CancelAsync();
        var latencies = await normal;

        closed.Should().BeTrue("800 unanswered PINGs is a flood: GOAWAY(ENHANCE_YOUR_CALM) and close");
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        latencies.Should().NotBeEmpty();
        latencies.Max().Should().BeLessThan(TimeSpan.FromSeconds(1));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ContinuationFlood_EndlessBlock_ConnectionClosedBeforeMuchIsRead(string backend)
    {
        // Row H2-12 (a): HEADERS without END_HEADERS, then 16 KiB CONTINUATIONs → GOAWAY(EYC) once 64 KiB is buffered.
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        using var stopNormal = new CancellationTokenSource();
        var normal = ServeNormalClientAsync(server, stopNormal.Token);
        await using var attacker = await Http2AttackClient.ConnectAsync(server.Port);
        attacker.StartReading();
        await attacker.TrySendAsync(Http2AttackClient.Hello(), TimeSpan.FromSeconds(2));
        var fragment = new byte[16_384];

        await attacker.TrySendAsync(Http2AttackClient.Frame(Http2FrameType.Headers, Http2FrameFlags.EndStream, 1, fragment), TimeSpan.FromSeconds(1));
        for (var i = 0; i < 10_000; i++)
        {
            if (!await attacker.TrySendAsync(Http2AttackClient.Frame(Http2FrameType.Continuation, Http2FrameFlags.None, 1, fragment), TimeSpan.FromSeconds(1))) break;
        }
        var closed = await attacker.WaitClosedAsync(TimeSpan.FromSeconds(5));
        await stopNormal.CancelAsync();
        var latencies = await normal;

        closed.Should().BeTrue();
        attacker.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        latencies.Should().NotBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task StreamBurst_150RequestsBeforeSettingsAck_100HandlersAnd50Refused(string backend)
    {
        // Row H2-14, scaled to 150 so the refusal flood rule (> 100 in 5 s) does not end the connection.
        var gauge = new InFlightGauge(TimeSpan.FromMilliseconds(500));
        await using var server = await TestServer.StartAsync(backend, gauge.App);
        await using var attacker = await Http2AttackClient.ConnectAsync(server.Port);
        attacker.StartReading();
        var burst = new List<byte>([.. Http2AttackClient.Preface, .. Http2AttackClient.Frame(Http2FrameType.Settings, Http2FrameFlags.None, 0, [])]);
        for (var i = 0; i < 150; i++) burst.AddRange(attacker.Get(1 + 2 * i, "/slow"));

        await attacker.TrySendAsync(burst.ToArray(), TimeSpan.FromSeconds(2));
        for (var i = 0; i < 100 && attacker.RefusedStreams < 50; i++) await Task.Delay(20);

        attacker.RefusedStreams.Should().Be(50);
        gauge.Max.Should().BeLessThanOrEqualTo(100);
        attacker.Closed.Task.IsCompleted.Should().BeFalse("refusals are stream errors");
        attacker.GoAwayCode.Should().BeNull();
    }
}
