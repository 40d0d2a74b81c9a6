using Hyper.Conformance.Http2.Client;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Attacks;

/// <summary>
/// docs/security.md H2-01 Data Dribble (CVE-2019-9511): window 1 and 1-byte WINDOW_UPDATEs while large responses wait.
/// Row: 100 streams × 1 MiB, +1 B every 10 ms for 8 s, grace 1 s → closed ≤ 3 s, memory bounded. Here 100 streams,
/// each application writing 64 KiB chunks of a 1 MiB body and stopping while the protocol reports the stream's
/// buffer above h2_max_stream_response_buffer (the stream layer's backpressure). Tiny DATA frames may go out, each
/// charged to the glitch bucket; every byte that leaves counts as progress for the minimum response rate, so with
/// the default bucket (1000) the close comes later than the row's 3 s (see the report): both bounds are tested.
/// </summary>
public sealed class DataDribbleTests
{
    private const int Streams = 100;

    [Fact]
    public void DataDribble_DefaultGlitchBucket_ClosedOnceTinyFramesStopCountingAsProgress()
    {
        var run = Dribble(new Http2Limits());

        run.Flood.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        run.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), "the grace period is honoured");
        run.Elapsed.Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(10));
        run.Written.Values.Should().OnlyContain(w => w <= 2 * 64 * 1024, "each application was stopped at the 64 KiB buffer");
        run.Flood.AllocatedBytes.Should().BeLessThan(64L * 1024 * 1024, "row H2-01: memory growth < 64 MiB");
    }

    [Fact]
    public void DataDribble_GlitchBudgetOf100_ClosedWithinTheRowsThreeSeconds()
    {
        var run = Dribble(new Http2Limits { GlitchBurst = 100 });

        run.Flood.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        run.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(3));
    }

    private static (FloodRunner Flood, TimeSpan Elapsed, Dictionary<int, long> Written) Dribble(Http2Limits limits)
    {
        var h = HarnessRequests.Ready(limits, s => s with { MinResponseRateGrace = TimeSpan.FromSeconds(1), MinResponseRate = 240 });
        h.Send(Http2ClientCodec.Settings((Http2SettingsParameter.InitialWindowSize, 1)));
        var flood = new FloodRunner(h);
        var ids = Enumerable.Range(0, Streams).Select(i => 2 * i + 1).ToList();
        flood.Run(i => h.Client.Headers(ids[i], Http2ClientCodec.Request("/big")), Streams);
        var written = ids.ToDictionary(id => id, _ => 0L);
        foreach (var id in ids)
        {
            flood.Do((c, o) => c.StartResponse(id, 200, [HeaderField.Of("content-type", "application/octet-stream")], endStream: false, h.Now, o));
            WriteUntilBackpressure(flood, h, id, written);
        }

        var elapsed = TimeSpan.Zero;
        while (!h.Connection.ShouldClose && elapsed < TimeSpan.FromSeconds(12))
        {
            flood.Run(i => Http2ClientCodec.WindowUpdate(ids[i], 1), Streams, batch: Streams);
            foreach (var id in ids) WriteUntilBackpressure(flood, h, id, written);
            h.Now += TimeSpan.FromMilliseconds(10).Ticks;
            elapsed += TimeSpan.FromMilliseconds(10);
            if (h.Now >= h.Connection.NextDeadline) flood.Do((c, o) => c.OnTimer(h.Now, o));
        }
        return (flood, elapsed, written);
    }

    /// <summary>What Core's stream layer does: write while the protocol says the stream buffer is under its limit.</summary>
    private static void WriteUntilBackpressure(FloodRunner flood, Http2Harness h, int id, Dictionary<int, long> written)
    {
        long buffered = 0;
        flood.Do((c, _) => buffered = c.GetBufferedResponseBytes(id));
        while (buffered == 0 && written[id] < 1024 * 1024)
        {
            flood.Do((c, o) => c.SendBody(id, new byte[64 * 1024], endStream: false, h.Now, o));
            written[id] += 64 * 1024;
            flood.Do((c, _) => buffered = c.GetBufferedResponseBytes(id));
        }
    }
}
