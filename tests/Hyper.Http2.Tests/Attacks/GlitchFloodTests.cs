using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Attacks;

/// <summary>
/// The glitch bucket (burst 1000, 33/s): H2-03 Resource Loop (CVE-2019-9513, PRIORITY storms), H2-04 Reset Flood
/// (CVE-2019-9514, requests that each draw an RST_STREAM) and H2-08 Empty Frames Flood (CVE-2019-9518).
/// Rows: 1M PRIORITY, 50k bad HEADERS, 1M empty DATA; scaled to 100k / 50k / 100k arriving at once.
/// </summary>
public sealed class GlitchFloodTests
{
    [Fact]
    public void ResourceLoop_100kPriorityFrames_EnhanceYourCalmAtThe1001st()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);

        var flood = new FloodRunner(h).Run(i => Http2ClientCodec.Priority(1 + 2 * (i % 50), 1 + 2 * ((i + 1) % 50)), 100_000, batch: 1);

        flood.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        flood.ClosedAtFrame.Should().Be(1001);
        flood.AllocatedBytes.Should().BeLessThan(1024 * 1024, "no priority tree is built");
    }

    [Fact]
    public void Priority_AtAnHonestRate_Accepted()
    {
        var h = HarnessRequests.Ready();
        h.Get(1);
        var flood = new FloodRunner(h);

        for (var second = 0; second < 40; second++)
        {
            flood.Run(_ => Http2ClientCodec.Priority(1, 0), 30, batch: 30);
            h.Now += TimeSpan.TicksPerSecond;
        }

        flood.GoAwayCode.Should().BeNull();
    }

    [Fact]
    public void Priority_WrongLength_FrameSizeError()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.Frame(Http2FrameType.Priority, Http2FrameFlags.None, 1, new byte[4]));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.FrameSizeError);
    }

    [Fact]
    public void Priority_SelfDependency_StreamProtocolError()
    {
        var h = HarnessRequests.Ready();

        h.Send(Http2ClientCodec.Priority(3, 3));

        h.Reset(3)!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
        h.ShouldServe(5);
    }

    [Fact]
    public void ResetFlood_50kUpperCaseHeaders_EnhanceYourCalmAtThe1001stAndNothingRetained()
    {
        var h = HarnessRequests.Ready();

        var flood = new FloodRunner(h).Run(i => h.Client.Headers(1 + 2 * i, Http2ClientCodec.Request("/", extra: ("X-Upper", "1"))), 50_000, batch: 1);

        flood.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        flood.ClosedAtFrame.Should().Be(1001);
        flood.Resets[Http2ErrorCode.ProtocolError].Should().Be(1001);
        flood.RequestsReceived.Should().Be(0);
        flood.MaxTrackedStreams.Should().Be(0);
        flood.AllocatedBytes.Should().BeLessThan(16L * 1024 * 1024, "row H2-04: memory growth < 16 MiB");
    }

    [Fact]
    public void EmptyFramesFlood_100kEmptyData_EnhanceYourCalmAtThe1001st()
    {
        var h = HarnessRequests.Ready();
        h.Post(1);

        var flood = new FloodRunner(h).Run(_ => Http2ClientCodec.Data(1, [], endStream: false), 100_000, batch: 1);

        flood.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        flood.ClosedAtFrame.Should().Be(1001);
        flood.AllocatedBytes.Should().BeLessThan(1024 * 1024);
    }

    [Fact]
    public void EmptyHeadersFragments_CountAsGlitches()
    {
        // An empty HEADERS without END_HEADERS / END_STREAM opens a block that CONTINUATION must finish; each one
        // costs a glitch, so a flood of them (finished by CONTINUATION) still ends in ENHANCE_YOUR_CALM.
        var h = HarnessRequests.Ready();

        var flood = new FloodRunner(h).Run(i => i % 2 == 0
                ? Http2ClientCodec.Frame(Http2FrameType.Headers, Http2FrameFlags.None, 1 + i, [])
                : Http2ClientCodec.Frame(Http2FrameType.Continuation, Http2FrameFlags.EndHeaders, i, HpackBytes.GetPseudoHeaders),
            10_000, batch: 1);

        flood.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        flood.ClosedAtFrame.Should().BeLessThan(2_100);
    }
}
