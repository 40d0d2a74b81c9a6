using Hyper.Conformance.Http2.Client;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Attacks;

/// <summary>
/// docs/security.md H2-11 Rapid Reset (CVE-2023-44487): HEADERS + RST_STREAM pairs. A reset stream keeps its handler's
/// slot until <c>HandlerCompleted</c>; beyond 100 handlers streams are refused, and more than 100 refusals in 5 s is
/// GOAWAY(ENHANCE_YOUR_CALM). Client RST_STREAMs drain their own bucket (1000, 33/s).
/// </summary>
public sealed class RapidResetTests
{
    private static byte[] Pair(Http2Harness h, int streamId) =>
        [.. h.Client.Headers(streamId, Http2ClientCodec.Request("/slow"), endStream: true), .. Http2ClientCodec.RstStream(streamId, Http2ErrorCode.Cancel)];

    [Fact]
    public void RapidReset_HandlersNeverFinish_100RunThen100RefusedThenEnhanceYourCalmOnStream201()
    {
        var h = HarnessRequests.Ready();

        var flood = new FloodRunner(h).Run(i => Pair(h, 1 + 2 * i), 10_000, batch: 1);

        flood.RequestsReceived.Should().Be(100);
        flood.MaxHandlersRunning.Should().Be(100, "reset streams keep their slot while their handler runs");
        flood.MaxTrackedStreams.Should().BeLessThanOrEqualTo(200);
        flood.Resets[Http2ErrorCode.RefusedStream].Should().Be(101);
        flood.ClosedAtFrame.Should().Be(201);
        flood.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        flood.AllocatedBytes.Should().BeLessThan(8L * 1024 * 1024);
    }

    [Fact]
    public void RapidReset_HandlersFinishAtOnce_ConnectionEndsWithin1001Pairs()
    {
        var h = HarnessRequests.Ready();
        var running = 0;
        var flood = new FloodRunner(h)
        {
            OnEvent = e =>
            {
                if (e is RequestReceived) running++;
                if (e is StreamAborted a) h.Connection.HandlerCompleted(a.StreamId, new System.Buffers.ArrayBufferWriter<byte>());
            },
        };

        flood.Run(i => Pair(h, 1 + 2 * i), 100_000, batch: 1);

        flood.GoAwayCode.Should().NotBeNull();
        flood.ClosedAtFrame.Should().BeLessThanOrEqualTo(1001);
        flood.MaxHandlersRunning.Should().BeLessThanOrEqualTo(1);
        running.Should().BeLessThanOrEqualTo(1000, "keep_alive_max_requests caps the requests per connection too");
    }

    [Fact]
    public void RapidReset_NoRequestCap_ClientResetBucketGivesEnhanceYourCalmAtPair1001()
    {
        var h = HarnessRequests.Ready(configure: s => s with { MaxRequests = int.MaxValue });
        var flood = new FloodRunner(h)
        {
            OnEvent = e =>
            {
                if (e is StreamAborted a) h.Connection.HandlerCompleted(a.StreamId, new System.Buffers.ArrayBufferWriter<byte>());
            },
        };

        flood.Run(i => Pair(h, 1 + 2 * i), 100_000, batch: 1);

        flood.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        flood.ClosedAtFrame.Should().Be(1001, "h2_reset_burst is 1000");
        h.Connection.ConnectionErrorReason.Should().Contain("RST_STREAM");
    }

    [Fact]
    public void RapidReset_AtAnHonestRate_ServedWithoutRefusal()
    {
        // 30 cancelled requests a second is under the reset refill (33/s): a browser cancelling navigations is not an attacker.
        var h = HarnessRequests.Ready(configure: s => s with { MaxRequests = 10_000 });
        var flood = new FloodRunner(h)
        {
            OnEvent = e =>
            {
                if (e is StreamAborted a) h.Connection.HandlerCompleted(a.StreamId, new System.Buffers.ArrayBufferWriter<byte>());
            },
        };

        for (var second = 0; second < 40; second++)
        {
            var first = 1 + 2 * 30 * second;
            flood.Run(i => Pair(h, first + 2 * i), 30, batch: 1);
            h.Now += TimeSpan.TicksPerSecond;
        }

        flood.GoAwayCode.Should().BeNull();
        flood.RequestsReceived.Should().Be(1_200);
        flood.Resets.Should().NotContainKey(Http2ErrorCode.RefusedStream);
    }

    [Fact]
    public void RapidReset_SlotsFreedWhenStuckHandlersReturn_NewStreamsAdmittedAgain()
    {
        var h = HarnessRequests.Ready();
        var flood = new FloodRunner(h).Run(i => Pair(h, 1 + 2 * i), 100, batch: 1);
        flood.MaxHandlersRunning.Should().Be(100);

        for (var i = 0; i < 100; i++)
        {
            var id = 1 + 2 * i;
            flood.Do((c, o) => c.HandlerCompleted(id, o));
        }

        h.Connection.HandlersRunning.Should().Be(0);
        h.Connection.TrackedStreams.Should().Be(0);
        h.ShouldServe(201);
    }
}
