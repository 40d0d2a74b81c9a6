using System.Diagnostics;
using Hyper.Http2.Frames;

namespace Hyper.EndToEnd.Tests.Http2.Attacks;

/// <summary>
/// Clients that ask for large responses and then let them out as slowly as they can: H2-01 Data Dribble (HTTP/2
/// window of 1 byte, 1-byte WINDOW_UPDATEs) and H2-07 Internal Data Buffering (windows wide open, TCP never read).
/// Grace 1 s as in the rows; 20 streams instead of 100 so each test stays within a few seconds on every backend.
/// </summary>
public sealed class Http2SlowReaderAttackTests
{
    private const int Streams = 20;

    private static Func<Hyper.Core.Configuration.HyperOptions, Hyper.Core.Configuration.HyperOptions> OneSecondGrace =>
        o => o with { MinResponseRateGrace = TimeSpan.FromSeconds(1), MinResponseRate = 240 };

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task DataDribble_WindowOneAndOneByteUpdates_ClosedWithinThreeSeconds(string backend)
    {
        // Row H2-01: window 1, +1 B every 10 ms, grace 1 s → closed ≤ 3 s, second client served. Tiny DATA frames count
        // as progress until the glitch bucket is spent, so the bucket is 100 here (the default 1000 closes in ≈ 8 s).
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App,
            o => OneSecondGrace(o) with { Http2 = o.Http2 with { GlitchBurst = 100 } });
        await using var attacker = await Http2AttackClient.ConnectAsync(server.Port);
        attacker.StartReading();
        var opening = new List<byte>([.. Http2AttackClient.Hello(), .. Http2AttackClient.Settings(Http2SettingsParameter.InitialWindowSize, 1)]);
        for (var i = 0; i < Streams; i++) opening.AddRange(attacker.Get(1 + 2 * i, "/big"));
        var watch = Stopwatch.StartNew();
        await attacker.TrySendAsync(opening.ToArray(), TimeSpan.FromSeconds(2));

        while (!attacker.Closed.Task.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(8))
        {
            var updates = Enumerable.Range(0, Streams).SelectMany(i => Http2AttackClient.WindowUpdate(1 + 2 * i, 1)).ToArray();
            if (!await attacker.TrySendAsync(updates, TimeSpan.FromSeconds(1))) break;
            await Task.Delay(10);
        }
        var closed = await attacker.WaitClosedAsync(TimeSpan.FromSeconds(1));
        var elapsed = watch.Elapsed;
        using var normal = server.CreateClient();
        var served = await normal.GetStringAsync("/");

        closed.Should().BeTrue($"the min-rate rule must reap the dribbler (GOAWAY seen: {attacker.GoAwayCode?.ToString() ?? "none"}, after {elapsed})");
        attacker.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3.5));
        served.Should().Be("Hello, World!");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task InternalBuffering_WindowsOpenTcpNeverRead_ClosedAfterGracePlusTwoSeconds(string backend)
    {
        // Row H2-07: SO_RCVBUF 4 KiB, never read, HTTP/2 windows wide open, large GETs → closed after grace + 2 s.
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App, OneSecondGrace);
        await using var attacker = await Http2AttackClient.ConnectAsync(server.Port, receiveBuffer: 4096);
        var opening = new List<byte>([.. Http2AttackClient.Hello(), .. Http2AttackClient.Settings(Http2SettingsParameter.InitialWindowSize, int.MaxValue),
            .. Http2AttackClient.WindowUpdate(0, int.MaxValue - 65_535)]);
        for (var i = 0; i < Streams; i++) opening.AddRange(attacker.Get(1 + 2 * i, "/big"));
        var watch = Stopwatch.StartNew();
        await attacker.TrySendAsync(opening.ToArray(), TimeSpan.FromSeconds(2));
        await Task.Delay(TimeSpan.FromSeconds(1));

        var closed = await attacker.ProbeClosedWithoutReadingAsync(TimeSpan.FromSeconds(4));

        closed.Should().BeTrue($"closed after {watch.Elapsed}");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task CloseProbe_ServerClosedTheConnection_Detected(string backend)
    {
        // The probe the test above relies on: a connection the server has certainly closed (invalid preface) is found closed.
        await using var server = await TestServer.StartAsync(backend, Http2Apps.App);
        await using var attacker = await Http2AttackClient.ConnectAsync(server.Port, receiveBuffer: 4096);
        await attacker.TrySendAsync([.. Http2AttackClient.Preface[..16], .. "XXXXXXXX"u8.ToArray()], TimeSpan.FromSeconds(1));

        (await attacker.ProbeClosedWithoutReadingAsync(TimeSpan.FromSeconds(4))).Should().BeTrue();
    }
}
