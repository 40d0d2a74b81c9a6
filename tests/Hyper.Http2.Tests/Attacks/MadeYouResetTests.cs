using Hyper.Conformance.Http2.Client;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Attacks;

/// <summary>
/// docs/security.md H2-13 MadeYouReset (CVE-2025-8671): a valid request, then a frame that makes the server reset the
/// stream, so the client never pays for the reset. Primitives the RFC lets us answer with a connection error are
/// connection errors; the rest are stream errors that keep the handler's slot and drain the glitch bucket.
/// Row: per primitive 10k repetitions → in-flight ≤ 100 and GOAWAY(EYC) before 2000.
/// </summary>
public sealed class MadeYouResetTests
{
    public static TheoryData<string, Func<Http2ClientCodec, byte[]>, Http2ErrorCode> ConnectionErrorPrimitives => new()
    {
        { "WINDOW_UPDATE 0", _ => Http2ClientCodec.WindowUpdate(1, 0), Http2ErrorCode.ProtocolError },
        { "PRIORITY of 4 bytes", _ => Http2ClientCodec.Frame(Http2FrameType.Priority, Http2FrameFlags.None, 1, new byte[4]), Http2ErrorCode.FrameSizeError },
        { "DATA on half-closed (remote)", _ => Http2ClientCodec.Data(1, "x", endStream: false), Http2ErrorCode.StreamClosed },
        { "HEADERS on half-closed (remote)", c => c.Headers(1, [("x-late", "1")], endStream: true), Http2ErrorCode.StreamClosed },
    };

    [Theory]
    [MemberData(nameof(ConnectionErrorPrimitives))]
    public void MadeYouReset_PrimitiveAfterValidRequest_ConnectionErrorNotAReset(string what, Func<Http2ClientCodec, byte[]> primitive, Http2ErrorCode expected)
    {
        var h = HarnessRequests.Ready();
        h.Get(1);
        h.TakeEvents();

        h.Send(primitive(h.Client));

        h.GoAway!.ErrorCode.Should().Be(expected, what);
        h.Reset(1).Should().BeNull(what);
        h.TakeEvents().OfType<StreamAborted>().Should().ContainSingle(e => e.StreamId == 1, what);
    }

    public static TheoryData<string, Func<Http2ClientCodec, int, byte[]>> StreamErrorPrimitives => new()
    {
        { "PRIORITY depending on itself", (c, id) => [.. c.Headers(id, Http2ClientCodec.Request("/")), .. Http2ClientCodec.Priority(id, id)] },
        { "stream window overflow", (c, id) => [.. c.Headers(id, Http2ClientCodec.Request("/")), .. Http2ClientCodec.WindowUpdate(id, int.MaxValue)] },
        {
            "DATA longer than content-length",
            (c, id) => [.. c.Headers(id, Http2ClientCodec.Request("/", "POST", extra: ("content-length", "1")), endStream: false), .. Http2ClientCodec.Data(id, "xx", endStream: true)]
        },
    };

    [Theory]
    [MemberData(nameof(StreamErrorPrimitives))]
    public void MadeYouReset_StreamErrorsWithStuckHandlers_InFlightAtMost100AndClosedBefore2000(string what, Func<Http2ClientCodec, int, byte[]> repetition)
    {
        var h = HarnessRequests.Ready(configure: s => s with { MaxRequests = 100_000 });

        var flood = new FloodRunner(h).Run(i => repetition(h.Client, 1 + 2 * i), 10_000, batch: 1);

        flood.MaxHandlersRunning.Should().BeLessThanOrEqualTo(100, what);
        flood.MaxTrackedStreams.Should().BeLessThanOrEqualTo(200, what);
        flood.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm, what);
        flood.ClosedAtFrame.Should().BeLessThan(2_000, what);
    }

    [Theory]
    [MemberData(nameof(StreamErrorPrimitives))]
    public void MadeYouReset_StreamErrorsWithInstantHandlers_GlitchBucketClosesBefore2000(string what, Func<Http2ClientCodec, int, byte[]> repetition)
    {
        var h = HarnessRequests.Ready(configure: s => s with { MaxRequests = 100_000 });
        var flood = new FloodRunner(h)
        {
            OnEvent = e =>
            {
                if (e is StreamAborted a) h.Connection.HandlerCompleted(a.StreamId, new System.Buffers.ArrayBufferWriter<byte>());
            },
        };

        flood.Run(i => repetition(h.Client, 1 + 2 * i), 10_000, batch: 1);

        flood.GoAwayCode.Should().Be(Http2ErrorCode.EnhanceYourCalm, what);
        flood.ClosedAtFrame.Should().BeInRange(900, 1_001, $"{what}: one glitch per server-sent reset, burst 1000");
        flood.MaxHandlersRunning.Should().BeLessThanOrEqualTo(1, what);
    }
}
