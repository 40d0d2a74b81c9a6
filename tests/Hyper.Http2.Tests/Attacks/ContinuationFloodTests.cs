using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Attacks;

/// <summary>
/// docs/security.md H2-12 CONTINUATION Flood (CVE-2024-27316 family): a header block that never ends. Limits: the block
/// may hold 64 KiB (twice the advertised list size), at most 8 CONTINUATIONs, and must finish within the header timeout.
/// </summary>
public sealed class ContinuationFloodTests
{
    private static byte[] OpenBlock(int streamId, byte[] fragment) =>
        Http2ClientCodec.Frame(Http2FrameType.Headers, Http2FrameFlags.EndStream, streamId, fragment);

    private static byte[] Continuation(int streamId, byte[] fragment, bool end = false) =>
        Http2ClientCodec.Frame(Http2FrameType.Continuation, end ? Http2FrameFlags.EndHeaders : Http2FrameFlags.None, streamId, fragment);

    [Fact]
    public void ContinuationFlood_16KiBFrames_ErrorBefore80KiBConsumed()
    {
        // Row H2-12 (a): 10k × 16 KiB. Fed in 4 KiB reads; the error comes on the frame header that would cross 64 KiB.
        var h = HarnessRequests.Ready();
        var fragment = new byte[16_384];
        var bytes = new List<byte>(OpenBlock(1, fragment));
        for (var i = 0; i < 10; i++) bytes.AddRange(Continuation(1, fragment));
        var all = bytes.ToArray();

        var fed = 0;
        while (!h.Connection.ShouldClose && fed < all.Length)
        {
            var chunk = Math.Min(4_096, all.Length - fed);
            h.Send(all.AsSpan(fed, chunk));
            fed += chunk;
        }

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        fed.Should().BeLessThan(80 * 1024);
    }

    [Fact]
    public void ContinuationFlood_NineEmptyContinuations_ErrorAtTheNinth()
    {
        // Row H2-12 (b).
        var h = HarnessRequests.Ready();
        h.Send(OpenBlock(1, HpackBytes.GetPseudoHeaders));

        for (var i = 1; i <= 8; i++)
        {
            h.Send(Continuation(1, []));
            h.GoAway.Should().BeNull($"CONTINUATION {i} of 8 is allowed");
        }
        h.Send(Continuation(1, []));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
    }

    [Fact]
    public void Continuations_EightCarryingAValidBlock_RequestServed()
    {
        var h = HarnessRequests.Ready();
        var block = h.Client.EncodeBlock(Http2ClientCodec.Request("/split"));
        h.Send(OpenBlock(1, block[..1]));
        for (var i = 1; i < 8; i++) h.Send(Continuation(1, []));

        h.Send(Continuation(1, block[1..], end: true));

        h.TakeEvents().RequestOn(1).Should().NotBeNull();
    }

    [Fact]
    public void ContinuationFlood_OnePer500msWithTwoSecondTimeout_ClosedAtTwoSeconds()
    {
        // Row H2-12 (c).
        var h = HarnessRequests.Ready(configure: s => s with { RequestHeadersTimeout = TimeSpan.FromSeconds(2) });
        h.Send(OpenBlock(1, HpackBytes.GetPseudoHeaders));

        var elapsed = TimeSpan.Zero;
        while (!h.Connection.ShouldClose && elapsed < TimeSpan.FromSeconds(10))
        {
            h.Advance(TimeSpan.FromMilliseconds(500));
            elapsed += TimeSpan.FromMilliseconds(500);
            if (!h.Connection.ShouldClose) h.Send(Continuation(1, []));
        }

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.EnhanceYourCalm);
        elapsed.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void HeaderBlock_InterleavedWithAnotherFrame_ProtocolError()
    {
        var h = HarnessRequests.Ready();
        h.Send(OpenBlock(1, HpackBytes.GetPseudoHeaders));

        h.Send(Http2ClientCodec.Ping(1));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void Continuation_OnAnotherStream_ProtocolError()
    {
        var h = HarnessRequests.Ready();
        h.Send(OpenBlock(1, HpackBytes.GetPseudoHeaders));

        h.Send(Continuation(3, [], end: true));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void Continuation_WithoutHeaders_ProtocolError()
    {
        var h = HarnessRequests.Ready();

        h.Send(Continuation(1, HpackBytes.GetPseudoHeaders, end: true));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }
}
