using Hyper.Conformance.Http2.Client;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>
/// Concurrency is counted in running handlers, not open protocol streams (docs/security.md B1, H2-11): a stream keeps its
/// slot until <c>HandlerCompleted</c>, whether it completed or was reset.
/// </summary>
public sealed class HandlerAccountingTests
{
    private static readonly Http2Limits TwoStreams = new() { MaxConcurrentStreams = 2, MaxTrackedStreams = 4 };

    [Fact]
    public void ResetStreams_HandlersStillRunning_NextStreamRefused()
    {
        var h = HarnessRequests.Ready(TwoStreams);
        h.Get(1, endStream: false);
        h.Get(3, endStream: false);
        h.Send([.. Http2ClientCodec.RstStream(1, Http2ErrorCode.Cancel), .. Http2ClientCodec.RstStream(3, Http2ErrorCode.Cancel)]);

        h.Get(5);

        h.Reset(5)!.ErrorCode.Should().Be(Http2ErrorCode.RefusedStream);
        h.GoAway.Should().BeNull("a refusal is a stream error, not a torn-down connection");
        h.Connection.HandlersRunning.Should().Be(2);
    }

    [Fact]
    public void CompletedResponses_HandlersStillRunning_SlotsFreedButStreamsTrackedUpToTheLimit()
    {
        // A complete response frees its concurrency slot at once (the client may open the next stream on END_STREAM);
        // its handler stays tracked until it returns, and h2_max_tracked_streams bounds those (4 here).
        var h = HarnessRequests.Ready(TwoStreams);
        foreach (var id in new[] { 1, 3, 5, 7 })
        {
            h.Get(id);
            h.Respond(id);
        }
        h.Reset(5).Should().BeNull();
        h.Reset(7).Should().BeNull();
        h.Connection.TrackedStreams.Should().Be(4);

        h.Get(9);

        h.Reset(9)!.ErrorCode.Should().Be(Http2ErrorCode.RefusedStream);
        h.HandlerDone(1);
        h.Connection.TrackedStreams.Should().Be(3);
        h.ShouldServe(11);
    }

    [Fact]
    public void HandlerCompleted_FreesTheSlot()
    {
        var h = HarnessRequests.Ready(TwoStreams);
        h.Get(1, endStream: false);
        h.Get(3, endStream: false);
        h.Send(Http2ClientCodec.RstStream(1, Http2ErrorCode.Cancel));
        h.Get(5);
        h.Reset(5)!.ErrorCode.Should().Be(Http2ErrorCode.RefusedStream, "the reset stream's handler still holds its slot");

        h.HandlerDone(1);
        h.Get(7);
        h.Get(5);

        h.Reset(7).Should().BeNull();
        h.TakeEvents().RequestOn(7).Should().NotBeNull();
        h.Connection.HandlersRunning.Should().Be(2);
    }

    [Fact]
    public void ClientReset_StreamTrackedUntilHandlerCompletes()
    {
        var h = HarnessRequests.Ready(TwoStreams);
        h.Get(1, endStream: false);

        h.Send(Http2ClientCodec.RstStream(1, Http2ErrorCode.Cancel));

        h.TakeEvents().OfType<StreamAborted>().Should().ContainSingle(e => e.StreamId == 1);
        h.Connection.TrackedStreams.Should().Be(1);
        h.Connection.HandlersRunning.Should().Be(1);
        h.HandlerDone(1);
        h.Connection.TrackedStreams.Should().Be(0);
        h.Connection.HandlersRunning.Should().Be(0);
    }

    [Fact]
    public void HandlerCompleted_Twice_CountedOnce()
    {
        var h = HarnessRequests.Ready(TwoStreams);
        h.Get(1);
        h.Get(3);
        h.Respond(1);

        h.HandlerDone(1);
        h.HandlerDone(1);

        h.Connection.HandlersRunning.Should().Be(1);
    }

    [Fact]
    public void HandlerCompleted_UnknownStream_Ignored()
    {
        var h = HarnessRequests.Ready(TwoStreams);
        h.Get(1);

        h.HandlerDone(99);

        h.Connection.HandlersRunning.Should().Be(1);
    }

    [Fact]
    public void ResponseAfterClientReset_NothingWritten()
    {
        var h = HarnessRequests.Ready();
        h.Get(1, endStream: false);
        h.Send(Http2ClientCodec.RstStream(1, Http2ErrorCode.Cancel));
        h.TakeFrames();

        h.Respond(1);

        h.TakeFrames().Should().BeEmpty();
    }
}
