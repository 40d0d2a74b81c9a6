using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Attacks;

/// <summary>
/// docs/security.md H2-02 Ping Flood (CVE-2019-9512) and H2-05 Settings Flood (CVE-2019-9515): frames that demand a reply
/// drain one bucket of 800 (refilled 100/s); empty → GOAWAY(ENHANCE_YOUR_CALM). Row: 200k PINGs / SETTINGS, never
/// reading → closed; here 200k of each, all arriving at one instant (the worst case for a bucket).
/// </summary>
public sealed class ControlFrameFloodTests
{
    [Fact]
    public void PingFlood_200kAtOnce_EnhanceYourCalmOnceThe800TokensAreSpentAndOutputBounded()
    {
        var h = HarnessRequests.Ready();

        var flood = new FloodRunner(h).Run(i => Http2ClientCodec.Ping((ulong)i), 200_000, batch: 1);

        flood.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        flood.ClosedAtFrame.Should().Be(800, "the handshake's SETTINGS took the first of the 800 tokens");
        flood.OutputBytes.Should().BeLessThan(800 * 17 + 100, "at most 800 PING ACKs were owed");
        flood.AllocatedBytes.Should().BeLessThan(1024 * 1024, "row H2-02: memory growth < 16 MiB");
    }

    [Fact]
    public void Pings_AtAnHonestRate_NeverRefused()
    {
        var h = HarnessRequests.Ready();
        var flood = new FloodRunner(h);

        for (var second = 0; second < 30; second++)
        {
            flood.Run(i => Http2ClientCodec.Ping((ulong)i), 90, batch: 90);
            h.Now += TimeSpan.TicksPerSecond;
        }

        flood.GoAwayCode.Should().BeNull("90 PINGs a second is under the 100/s refill");
        h.ShouldServe(1);
    }

    [Fact]
    public void SettingsFlood_200kEmptyAtOnce_EnhanceYourCalmOnceThe800TokensAreSpent()
    {
        var h = HarnessRequests.Ready();

        var flood = new FloodRunner(h).Run(_ => Http2ClientCodec.Settings(), 200_000, batch: 1);

        flood.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        flood.ClosedAtFrame.Should().Be(800, "the handshake's SETTINGS took the first of the 800 tokens");
        flood.AllocatedBytes.Should().BeLessThan(1024 * 1024);
    }

    [Fact]
    public void SettingsAndPings_ShareOneBucket()
    {
        var h = HarnessRequests.Ready();

        var flood = new FloodRunner(h).Run(i => i % 2 == 0 ? Http2ClientCodec.Settings() : Http2ClientCodec.Ping(1), 2_000, batch: 1);

        flood.ClosedAtFrame.Should().Be(800, "the handshake's SETTINGS took the first of the 800 tokens");
    }

    [Fact]
    public void Settings_33Entries_EnhanceYourCalm()
    {
        var h = HarnessRequests.Ready();
        var entries = Enumerable.Range(0, 33).Select(_ => (Http2SettingsParameter.HeaderTableSize, 4096u)).ToArray();

        h.Send(Http2ClientCodec.Settings(entries));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
    }

    [Fact]
    public void Settings_32Entries_Accepted()
    {
        var h = HarnessRequests.Ready();
        var entries = Enumerable.Range(0, 32).Select(_ => (Http2SettingsParameter.HeaderTableSize, 4096u)).ToArray();

        h.Send(Http2ClientCodec.Settings(entries));

        h.GoAway.Should().BeNull();
        h.TakeFrames().Should().Contain(f => f.Type == Http2FrameType.Settings && f.Has(Http2FrameFlags.Ack));
    }

    [Fact]
    public void Settings_10kEntries_ClosedWithoutReadingThem()
    {
        // 60 000 bytes is above SETTINGS_MAX_FRAME_SIZE: refused on the frame header (FRAME_SIZE_ERROR, §4.2).
        var h = HarnessRequests.Ready();
        var entries = Enumerable.Range(0, 10_000).Select(_ => (Http2SettingsParameter.HeaderTableSize, 4096u)).ToArray();
        var frame = Http2ClientCodec.Settings(entries);

        h.Send(frame.AsSpan(0, 9));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.FrameSizeError);
        h.Connection.ShouldClose.Should().BeTrue();
    }
}
