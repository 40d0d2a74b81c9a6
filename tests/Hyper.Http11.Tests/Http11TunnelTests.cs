using System.Text;
using Hyper.Core.Protocols;
using Hyper.Http11.Tests.Support;

namespace Hyper.Http11.Tests;

/// <summary>
/// A request answered 101 by its own stream (a WebSocket, RFC 6455 §4.2.2; RFC 9110 §15.2.2): the connection becomes
/// that stream's tunnel. Bytes after the head, even those that came with it, are the stream's body; its body is
/// written raw; its end closes the connection; the peer's EOF ends its input.
/// </summary>
public sealed class Http11TunnelTests
{
    private const string Handshake = "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";

    private static Http11Harness Upgraded(string early = "")
    {
        var h = new Http11Harness();
        h.Feed(Handshake + early);
        h.Connection.StartResponse(1, 101, Http11Harness.Fields(("upgrade", "websocket"), ("connection", "Upgrade")), endStream: false, h.Now, h.Output);
        return h;
    }

    [Fact]
    public void Status101_WritesTheHeadWithoutFramingAndKeepsTheStreamOpen()
    {
        var h = Upgraded();

        h.TakeOutput().Should().Be("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n\r\n");
        h.Connection.ShouldClose.Should().BeFalse();
        h.Connection.WantsInput.Should().BeTrue();
        h.Connection.NextDeadline.Should().Be(long.MaxValue, "the HTTP timers no longer apply");
    }

    [Fact]
    public void BytesAfterTheSwitch_IncludingThoseThatCameWithTheHead_AreTheStreamsBody()
    {
        var h = Upgraded(early: "early frame");
        h.Pump();
        h.Feed("GET / HTTP/1.1\r\n\r\n");

        var body = h.Events.OfType<RequestBodyReceived>().Select(e => Encoding.Latin1.GetString(System.Buffers.BuffersExtensions.ToArray(e.Data)));
        string.Concat(body).Should().Be("early frameGET / HTTP/1.1\r\n\r\n", "nothing after a 101 is parsed as HTTP");
        h.Events.OfType<RequestReceived>().Should().ContainSingle();
    }

    [Fact]
    public void TheStreamsBody_IsWrittenRaw_AndItsEndClosesTheConnection()
    {
        var h = Upgraded();
        h.TakeOutput();

        h.Connection.SendBody(1, [0x82, 0x02, (byte)'h', (byte)'i'], endStream: false, h.Now, h.Output);
        h.Connection.SendBody(1, [], endStream: true, h.Now, h.Output);
        h.CollectEvents();

        h.Output.WrittenSpan.ToArray().Should().Equal(0x82, 0x02, (byte)'h', (byte)'i');
        h.Connection.ShouldClose.Should().BeTrue();
        h.Events.OfType<StreamCompleted>().Should().ContainSingle();
    }

    [Fact]
    public void PeerEof_EndsTheStreamsInput()
    {
        var h = Upgraded();
        h.CollectEvents();
        h.Events.Clear();

        h.Connection.ReceiveCompleted(h.Now, h.Output);
        h.CollectEvents();

        h.Events.Should().ContainSingle().Which.Should().BeOfType<RequestBodyEnded>();
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void Status101_ForARequestWithoutUpgrade_IsRefused()
    {
        var h = new Http11Harness();
        h.Feed("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        var act = () => h.Connection.StartResponse(1, 101, Http11Harness.Fields(), endStream: false, h.Now, h.Output);

        act.Should().Throw<InvalidOperationException>();
        h.OutputText.Should().BeEmpty();
    }
}
