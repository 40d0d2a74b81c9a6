namespace Hyper.Conformance.WebSockets;

public static partial class WebSocketCases
{
    /// <summary>
    /// Group 5: a message may be fragmented, control frames may come between its fragments but are never fragmented
    /// themselves, and a continuation needs a message to continue (RFC 6455 §5.4, §5.5).
    /// </summary>
    private static IEnumerable<WebSocketCase> Fragmentation()
    {
        yield return Case("ws/5.1", "RFC 6455 §5.5", "a Ping in two fragments is a protocol error", Fails(1002),
            Send([.. ClientFrame.Build(ClientFrame.Ping, Utf8Bytes("frag"), fin: false), .. ClientFrame.Build(ClientFrame.Continuation, Utf8Bytes("ment"))]));
        yield return Case("ws/5.2", "RFC 6455 §5.5", "a Pong in two fragments is a protocol error", Fails(1002),
            Send([.. ClientFrame.Build(ClientFrame.Pong, Utf8Bytes("frag"), fin: false), .. ClientFrame.Build(ClientFrame.Continuation, Utf8Bytes("ment"))]));
        yield return Case("ws/5.3", "RFC 6455 §5.4", "a text message in two fragments is echoed whole", Open,
            Send(Fragmented(ClientFrame.Text, Utf8Bytes("fragment1fragment2"), 9)), EchoText("fragment1fragment2"));
        yield return Case("ws/5.4", "RFC 6455 §5.4", "a text message in two fragments, written one byte at a time", Open,
            Send(Fragmented(ClientFrame.Text, Utf8Bytes("fragment1fragment2"), 9), splitEvery: 1), EchoText("fragment1fragment2"));
        yield return Case("ws/5.5", "RFC 6455 §5.4", "a text message in one-byte fragments, written one byte at a time", Open,
            Send(Fragmented(ClientFrame.Text, Utf8Bytes("fragmented"), 1), splitEvery: 1), EchoText("fragmented"));
        yield return Case("ws/5.6", "RFC 6455 §5.4", "a Ping between two fragments is answered at once; the message is echoed after", Open,
            Send([.. ClientFrame.Build(ClientFrame.Text, Utf8Bytes("fragment1"), fin: false), .. ClientFrame.Build(ClientFrame.Ping, Utf8Bytes("between"))]),
            Pong(Utf8Bytes("between")),
            Send(ClientFrame.Build(ClientFrame.Continuation, Utf8Bytes("fragment2"))), EchoText("fragment1fragment2")) with { OverHttp2 = true };
        yield return Case("ws/5.7", "RFC 6455 §5.4", "the same, every frame written one byte at a time", Open,
            Send(ClientFrame.Build(ClientFrame.Text, Utf8Bytes("fragment1"), fin: false), splitEvery: 1),
            Send(ClientFrame.Build(ClientFrame.Ping, Utf8Bytes("between")), splitEvery: 1), Pong(Utf8Bytes("between")),
            Send(ClientFrame.Build(ClientFrame.Continuation, Utf8Bytes("fragment2")), splitEvery: 1), EchoText("fragment1fragment2"));
        yield return Case("ws/5.8", "RFC 6455 §5.4", "an unsolicited Pong between two fragments is ignored", Open,
            Send([.. ClientFrame.Build(ClientFrame.Text, Utf8Bytes("fragment1"), fin: false), .. ClientFrame.Build(ClientFrame.Pong, Utf8Bytes("between")),
                .. ClientFrame.Build(ClientFrame.Continuation, Utf8Bytes("fragment2"))]),
            EchoText("fragment1fragment2"));
        yield return Case("ws/5.9", "RFC 6455 §5.4", "a final continuation with no message started", Fails(1002),
            Send(ClientFrame.Build(ClientFrame.Continuation, Utf8Bytes("fragment1")))) with { OverHttp2 = true };
        yield return Case("ws/5.10", "RFC 6455 §5.4", "a non-final continuation with no message started", Fails(1002),
            Send(ClientFrame.Build(ClientFrame.Continuation, Utf8Bytes("fragment1"), fin: false)));
        yield return Case("ws/5.11", "RFC 6455 §5.4", "a whole message echoed, then a continuation after it", Fails(1002),
            SendText("whole"), EchoText("whole"), Send(ClientFrame.Build(ClientFrame.Continuation, Utf8Bytes("stray"))));
        yield return Case("ws/5.12", "RFC 6455 §5.4", "a new text message inside a fragmented one", Fails(1002),
            Send([.. ClientFrame.Build(ClientFrame.Text, Utf8Bytes("fragment1"), fin: false), .. ClientFrame.Build(ClientFrame.Text, Utf8Bytes("fragment2"))]));
        yield return Case("ws/5.13", "RFC 6455 §5.4", "a binary message started inside a fragmented text one", Fails(1002),
            Send([.. ClientFrame.Build(ClientFrame.Text, Utf8Bytes("fragment1"), fin: false), .. ClientFrame.Build(ClientFrame.Binary, BinaryOf(4), fin: false)]));
        yield return Case("ws/5.14", "RFC 6455 §5.5.1", "a Close between two fragments ends the session; the unfinished message is dropped", Replies(1000),
            Send([.. ClientFrame.Build(ClientFrame.Text, Utf8Bytes("fragment1"), fin: false), .. ClientFrame.Build(ClientFrame.Close, ClientFrame.ClosePayload(1000))]));
        var many = TextOf(1000);
        yield return Case("ws/5.15", "RFC 6455 §5.4", "a text message in a hundred 10-byte fragments", Open,
            Send(Fragmented(ClientFrame.Text, many, 10)), Echo(ClientFrame.Text, many));
        yield return Case("ws/5.16", "RFC 6455 §5.4", "empty fragments at the start and the end of a message", Open,
            Send([.. ClientFrame.Build(ClientFrame.Text, [], fin: false), .. ClientFrame.Build(ClientFrame.Continuation, Utf8Bytes("middle"), fin: false),
                .. ClientFrame.Build(ClientFrame.Continuation, [])]),
            EchoText("middle"));
        var binary = BinaryOf(3000);
        yield return Case("ws/5.17", "RFC 6455 §5.4", "a binary message in three fragments with a Ping after each", Open,
            Send([.. ClientFrame.Build(ClientFrame.Binary, binary.AsSpan(0, 1000), fin: false), .. ClientFrame.Build(ClientFrame.Ping, Utf8Bytes("1"))]), Pong(Utf8Bytes("1")),
            Send([.. ClientFrame.Build(ClientFrame.Continuation, binary.AsSpan(1000, 1000), fin: false), .. ClientFrame.Build(ClientFrame.Ping, Utf8Bytes("2"))]), Pong(Utf8Bytes("2")),
            Send(ClientFrame.Build(ClientFrame.Continuation, binary.AsSpan(2000))), Echo(ClientFrame.Binary, binary));
        yield return Case("ws/5.18", "RFC 6455 §5.4", "an empty text message split into two empty fragments", Open,
            Send([.. ClientFrame.Build(ClientFrame.Text, [], fin: false), .. ClientFrame.Build(ClientFrame.Continuation, [])]), Echo(ClientFrame.Text, []));
    }
}
