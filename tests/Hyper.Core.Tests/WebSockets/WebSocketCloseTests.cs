using System.Buffers;
using System.Text;
using Hyper.Core.Configuration;
using Hyper.Core.WebSockets;
using static Hyper.Core.Tests.WebSockets.WebSocketTestKit;

namespace Hyper.Core.Tests.WebSockets;

/// <summary>WS-07 / Autobahn group 7: the close handshake, close codes and reasons, timeouts, and sending after close.</summary>
public sealed class WebSocketCloseTests
{
    private static readonly long Second = TimeSpan.TicksPerSecond;

    [Theory] // Autobahn 7.7.x: codes that may be sent are echoed.
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1002)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1008)]
    [InlineData(1009)]
    [InlineData(1010)]
    [InlineData(1011)]
    [InlineData(3000)]
    [InlineData(3999)]
    [InlineData(4000)]
    [InlineData(4999)]
    public void WS07_ValidCloseCode_IsEchoed(int code)
    {
        using var connection = Server();

        FeedEverySplit(() => Server(), Close(code, "bye")).Should().Equal($"close-received:{code}:bye", $"closed:{code}");
        Feed(connection, [Close(code, "bye")]);
        Output(connection).Should().Equal($"Close:{code:X4}");
        connection.State.Should().Be(WebSocketConnectionState.Closed);
    }

    [Theory] // Autobahn 7.9.x: codes that may not be sent fail the connection with 1002.
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(1100)]
    [InlineData(2000)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public void WS07_InvalidCloseCode_Fails1002(int code)
    {
        FeedEverySplit(() => Server(), Close(code)).Should().Equal("closed:1002");
        using var connection = Server();
        Feed(connection, [Close(code)]);
        Output(connection).Should().Equal("Close:03EA");
    }

    [Fact] // Autobahn 7.3.1: an empty Close is answered with an empty Close; the app sees 1005.
    public void WS07_EmptyClose_IsAnsweredEmpty()
    {
        using var connection = Server();

        Feed(connection, [ClientFrame(WebSocketOpcode.Close, [])]).Should().Equal("close-received:1005:", "closed:1005");
        Output(connection).Should().Equal("Close:");
    }

    [Fact] // Autobahn 7.3.2, WS-07: a one-byte Close payload is a protocol error.
    public void WS07_OneByteClosePayload_Fails1002()
    {
        FeedEverySplit(() => Server(), ClientFrame(WebSocketOpcode.Close, [0x03])).Should().Equal("closed:1002");
    }

    [Fact] // Autobahn 7.5.1, WS-07: a close reason that is not UTF-8.
    public void WS07_InvalidUtf8Reason_Fails1007()
    {
        var frame = ClientFrame(WebSocketOpcode.Close, ClosePayload(1000, Convert.FromHexString("CEBAE1BDB9CF83CEBCCEB5EDA080656469746564")));
        using var connection = Server();

        FeedEverySplit(() => Server(), frame).Should().Equal("closed:1007");
        Feed(connection, [frame]);
        Output(connection).Should().Equal("Close:03EF");
    }

    [Fact] // Autobahn 7.3.5: a 123-byte reason (the maximum) is fine.
    public void WS07_MaximumReason_IsAccepted()
    {
        var reason = new string('r', 123);

        FeedEverySplit(() => Server(), Close(1000, reason)).Should().Equal($"close-received:1000:{reason}", "closed:1000");
    }

    [Fact] // Autobahn 7.1.x: data after the peer's Close is ignored; nothing may be sent after it.
    public void WS07_AfterClose_DataIsIgnoredAndSendsThrow()
    {
        using var connection = Server();
        Feed(connection, [Concat(Close(1000), ClientFrame(WebSocketOpcode.Text, "late"), ClientFrame(WebSocketOpcode.Ping, "p"))])
            .Should().Equal("close-received:1000:", "closed:1000");

        var output = new ArrayBufferWriter<byte>();
        FluentActions.Invoking(() => connection.SendText("x"u8, output)).Should().Throw<WebSocketClosedException>();
        FluentActions.Invoking(() => connection.SendPing([], output)).Should().Throw<WebSocketClosedException>();
        FluentActions.Invoking(() => connection.Close(1000, "", 0, output)).Should().Throw<WebSocketClosedException>();
    }

    [Fact] // The server starts the close: it waits for the reply, and the handshake completes on it.
    public void ServerInitiatedClose_CompletesOnThePeersReply()
    {
        using var connection = Server();
        var output = new ArrayBufferWriter<byte>();

        connection.Close(1001, "going away", now: 0, output);

        ParseServerFrames(output.WrittenSpan).Should().Equal("Close:03E9" + Convert.ToHexString(Encoding.UTF8.GetBytes("going away")));
        connection.State.Should().Be(WebSocketConnectionState.CloseSent);
        connection.NextDeadline.Should().Be(5 * Second);
        FluentActions.Invoking(() => connection.SendBinary([1], output)).Should().Throw<WebSocketClosedException>();

        // Data the peer sent before it saw our Close is read past, not delivered; pings are not answered.
        Feed(connection, [Concat(ClientFrame(WebSocketOpcode.Binary, [1, 2]), ClientFrame(WebSocketOpcode.Ping, "p"), Close(1001))])
            .Should().Equal("close-received:1001:", "closed:1001");
        connection.HasPendingOutput.Should().BeFalse("the Close is not echoed twice");
        connection.NextDeadline.Should().Be(long.MaxValue);
    }

    [Fact] // WS-07: a peer that never answers our Close is dropped at the close timeout (5 s by default).
    public void WS07_NoCloseReply_ClosedAtTheTimeout()
    {
        using var connection = Server();
        connection.Close(1000, "", now: 10 * Second, new ArrayBufferWriter<byte>());

        connection.OnTimer(14 * Second);
        Drain(connection).Should().BeEmpty();
        connection.OnTimer(connection.NextDeadline);

        Drain(connection).Should().Equal("closed:1006");
        connection.State.Should().Be(WebSocketConnectionState.Closed);
    }

    [Fact]
    public void CloseWithALocalOnlyCode_IsRefused()
    {
        using var connection = Server();

        FluentActions.Invoking(() => connection.Close(1005, "", 0, new ArrayBufferWriter<byte>())).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => connection.Close(1000, new string('x', 124), 0, new ArrayBufferWriter<byte>())).Should().Throw<ArgumentException>();
        connection.State.Should().Be(WebSocketConnectionState.Open);
    }

    [Fact]
    public void EndOfStreamWithoutClose_Is1006()
    {
        using var connection = Server();

        connection.ReceiveCompleted(0);

        Drain(connection).Should().Equal("closed:1006");
    }

    [Fact] // Keep-alive: a ping every interval; an answered ping schedules the next one.
    public void ServerPing_AnsweredByAMatchingPong_KeepsTheConnection()
    {
        var limits = new WebSocketLimits { PingInterval = TimeSpan.FromSeconds(10), PongTimeout = TimeSpan.FromSeconds(3) };
        using var connection = Server(limits);

        connection.NextDeadline.Should().Be(10 * Second);
        connection.OnTimer(10 * Second);
        var ping = Output(connection);
        ping.Should().Equal("Ping:0000000000000001");
        connection.NextDeadline.Should().Be(13 * Second);

        Feed(connection, [ClientFrame(WebSocketOpcode.Pong, Convert.FromHexString("0000000000000001"))]).Should().Equal("pong:0000000000000001");
        connection.NextDeadline.Should().Be(20 * Second);
        connection.OnTimer(20 * Second);
        Output(connection).Should().Equal("Ping:0000000000000002");
    }

    [Fact] // A peer that does not answer a ping is closed (1011 on the wire, 1006 for the application).
    public void ServerPing_Unanswered_ClosesAtThePongTimeout()
    {
        var limits = new WebSocketLimits { PingInterval = TimeSpan.FromSeconds(10), PongTimeout = TimeSpan.FromSeconds(3) };
        using var connection = Server(limits);
        connection.OnTimer(10 * Second);
        Output(connection);

        Feed(connection, [ClientFrame(WebSocketOpcode.Pong, "unrelated")]).Should().Equal("pong:756E72656C61746564");
        connection.NextDeadline.Should().Be(13 * Second, "an unsolicited pong does not answer the ping");
        connection.OnTimer(13 * Second);

        Drain(connection).Should().Equal("closed:1006");
        Output(connection).Should().Equal("Close:03F3" + Convert.ToHexString("ping timeout"u8));
    }

    [Fact]
    public void NoPingInterval_MeansNoDeadline()
    {
        using var connection = Server();

        connection.NextDeadline.Should().Be(long.MaxValue);
    }

    [Fact]
    public void Sends_AreFramedUnmaskedByTheServer()
    {
        using var connection = Server();
        var output = new ArrayBufferWriter<byte>();

        connection.SendText("hi"u8, output);
        connection.SendFragment(false, [1], endOfMessage: false, output);
        connection.SendFragment(false, [2], endOfMessage: true, output);
        connection.SendPing("p"u8, output);

        output.WrittenSpan.ToArray().Should().Equal(0x81, 2, (byte)'h', (byte)'i', 0x02, 1, 1, 0x80, 1, 2, 0x89, 1, (byte)'p');
        FluentActions.Invoking(() => connection.SendPing(new byte[126], output)).Should().Throw<ArgumentException>();
    }
}
