using Hyper.Conformance.Http2.Client;
using Hyper.Core.Protocols;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>The same request, however TCP cuts it: whole, split at every position, and one byte per read.</summary>
public sealed class SplitDeliveryTests
{
    private static byte[] WholeConversation(Http2ClientCodec client) =>
    [
        .. Http2ClientCodec.Hello(),
        .. Http2ClientCodec.SettingsAck(),
        .. client.Headers(1, Http2ClientCodec.Request("/upload?q=1", "POST", extra: [("content-length", "11"), ("cookie", "a=1"), ("cookie", "b=2")]), endStream: false),
        .. Http2ClientCodec.Data(1, "hello ", endStream: false),
        .. Http2ClientCodec.Ping(5),
        .. Http2ClientCodec.Data(1, "world", endStream: true),
    ];

    [Fact]
    public void Request_SplitAtEveryPosition_SameEvents()
    {
        var length = WholeConversation(new Http2ClientCodec()).Length;
        for (var cut = 1; cut < length; cut++)
        {
            var h = new Http2Harness();
            h.Send(WholeConversation(h.Client), cut);
            Verify(h, $"cut at {cut}");
        }
    }

    [Fact]
    public void Request_SplitIntoThreeAtEveryPair_SameEvents()
    {
        var length = WholeConversation(new Http2ClientCodec()).Length;
        for (var first = 1; first < length; first += 7)
        {
            for (var second = first + 1; second < length; second += 5)
            {
                var h = new Http2Harness();
                h.Send(WholeConversation(h.Client), first, second);
                Verify(h, $"cuts at {first}, {second}");
            }
        }
    }

    [Fact]
    public void Request_ByteByByte_SameEvents()
    {
        var h = new Http2Harness();

        h.SendByteByByte(WholeConversation(h.Client));

        Verify(h, "byte by byte");
    }

    private static void Verify(Http2Harness h, string because)
    {
        h.GoAway.Should().BeNull(because);
        var events = h.TakeEvents();
        var head = events.RequestOn(1);
        head.Should().NotBeNull(because);
        head!.Header("cookie").Should().Be("a=1; b=2", because);
        var body = events.OfType<RequestBodyReceived>().SelectMany(e => System.Buffers.BuffersExtensions.ToArray(e.Data)).ToArray();
        System.Text.Encoding.ASCII.GetString(body).Should().Be("hello world", because);
        events.OfType<RequestBodyEnded>().Should().ContainSingle(because);
        h.Frames.Should().Contain(f => f.Type == Hyper.Http2.Frames.Http2FrameType.Ping, because);
        h.PendingBytes.Should().Be(0, because);
    }
}
