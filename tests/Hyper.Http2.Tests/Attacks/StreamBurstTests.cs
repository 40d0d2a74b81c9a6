using Hyper.Conformance.Http2.Client;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Attacks;

/// <summary>
/// docs/security.md H2-14: 1000 HEADERS right after the preface, before our SETTINGS could be acknowledged. The limits
/// apply from the first frame: 100 handlers, the rest REFUSED_STREAM, tracked streams ≤ 200.
/// </summary>
public sealed class StreamBurstTests
{
    [Fact]
    public void StreamBurst_1000HeadersBeforeSettingsAck_100AdmittedRestRefused()
    {
        var h = new Http2Harness();
        var burst = new List<byte>(Http2ClientCodec.Hello());
        for (var i = 0; i < 1_000; i++) burst.AddRange(h.Client.Headers(1 + 2 * i, Http2ClientCodec.Request("/")));

        h.Send(burst.ToArray());

        var admitted = h.TakeEvents().OfType<RequestReceived>().ToList();
        admitted.Should().HaveCount(100);
        admitted.Select(e => e.StreamId).Should().Equal(Enumerable.Range(0, 100).Select(i => 1L + 2 * i));
        h.Connection.HandlersRunning.Should().Be(100);
        h.Connection.TrackedStreams.Should().BeLessThanOrEqualTo(200);
        var resets = h.Frames.OfType(Http2FrameType.RstStream).ToList();
        resets.Should().NotBeEmpty().And.OnlyContain(f => f.ErrorCode == Http2ErrorCode.RefusedStream && f.StreamId > 199);
        // Kestrel's rule (H2-11): more than 100 refusals within 5 s is a flood, so the burst ends the connection
        // after the 101st refusal instead of refusing all 900.
        resets.Should().HaveCount(101);
        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
    }

    [Fact]
    public void StreamBurst_150HeadersBeforeSettingsAck_100AdmittedAnd50RefusedConnectionLives()
    {
        var h = new Http2Harness();
        var burst = new List<byte>(Http2ClientCodec.Hello());
        for (var i = 0; i < 150; i++) burst.AddRange(h.Client.Headers(1 + 2 * i, Http2ClientCodec.Request("/")));

        h.Send(burst.ToArray());

        h.TakeEvents().OfType<RequestReceived>().Should().HaveCount(100);
        h.Frames.OfType(Http2FrameType.RstStream).Should().HaveCount(50).And.OnlyContain(f => f.ErrorCode == Http2ErrorCode.RefusedStream);
        h.GoAway.Should().BeNull("a refusal is a stream error (REFUSED_STREAM), not a torn-down connection");
        h.Respond(1);
        h.HandlerDone(1);
        h.Send(Http2ClientCodec.SettingsAck());
        h.ShouldServe(301);
    }
}
