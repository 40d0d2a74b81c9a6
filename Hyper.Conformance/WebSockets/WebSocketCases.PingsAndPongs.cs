namespace Hyper.Conformance.WebSockets;

public static partial class WebSocketCases
{
    /// <summary>Group 2: Ping must be answered by a Pong with the same payload (RFC 6455 §5.5.2, §5.5.3); an unsolicited Pong is ignored.</summary>
    private static IEnumerable<WebSocketCase> PingsAndPongs()
    {
        yield return Case("ws/2.1", "RFC 6455 §5.5.2", "a Ping without payload is answered by an empty Pong", Open,
            Send(ClientFrame.Build(ClientFrame.Ping, [])), Pong([]));
        yield return Case("ws/2.2", "RFC 6455 §5.5.3", "a Ping with a text payload is answered by a Pong with the same payload", Open,
            Send(ClientFrame.Build(ClientFrame.Ping, Utf8Bytes("Hello, world!"))), Pong(Utf8Bytes("Hello, world!"))) with { OverHttp2 = true };
        byte[] binary = [0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF];
        yield return Case("ws/2.3", "RFC 6455 §5.5.3", "a Ping with a binary payload is answered with that payload", Open,
            Send(ClientFrame.Build(ClientFrame.Ping, binary)), Pong(binary));
        var largest = BinaryOf(125);
        yield return Case("ws/2.4", "RFC 6455 §5.5", "a Ping with the largest control payload, 125 bytes, is answered", Open,
            Send(ClientFrame.Build(ClientFrame.Ping, largest)), Pong(largest));
        yield return Case("ws/2.5", "RFC 6455 §5.5", "a Ping with 126 bytes (over the control-frame limit) is a protocol error", Fails(1002),
            Send(ClientFrame.Build(ClientFrame.Ping, BinaryOf(126)))) with { OverHttp2 = true };
        yield return Case("ws/2.6", "RFC 6455 §5.5.2", "a 125-byte Ping written one byte at a time is answered", Open,
            Send(ClientFrame.Build(ClientFrame.Ping, largest), splitEvery: 1), Pong(largest));
        yield return Case("ws/2.7", "RFC 6455 §5.5.3", "an unsolicited empty Pong is ignored", Open,
            Send(ClientFrame.Build(ClientFrame.Pong, [])), SendText("after the pong"), EchoText("after the pong"));
        yield return Case("ws/2.8", "RFC 6455 §5.5.3", "an unsolicited Pong with a payload is ignored", Open,
            Send(ClientFrame.Build(ClientFrame.Pong, Utf8Bytes("unsolicited"))), SendText("after the pong"), EchoText("after the pong"));
        yield return Case("ws/2.9", "RFC 6455 §5.5.3", "an unsolicited Pong, then a Ping: only the Ping is answered", Open,
            Send(ClientFrame.Build(ClientFrame.Pong, Utf8Bytes("unsolicited"))), Send(ClientFrame.Build(ClientFrame.Ping, Utf8Bytes("ping"))),
            Pong(Utf8Bytes("ping")));
        var pings = Enumerable.Range(0, 10).Select(i => Utf8Bytes($"ping {i}")).ToArray();
        yield return Case("ws/2.10", "RFC 6455 §5.5.3", "ten Pings in a row: the last is answered (earlier ones may be, in order)", Open,
            Send([.. pings.SelectMany(p => ClientFrame.Build(ClientFrame.Ping, p))]), new WebSocketStep.ExpectPong(pings[^1]) { MayPrecede = pings[..^1] });
        yield return Case("ws/2.11", "RFC 6455 §5.5.3", "ten Pings, each waited for: every one is answered", Open,
            [.. pings.SelectMany(p => new[] { Send(ClientFrame.Build(ClientFrame.Ping, p)), Pong(p) })]);
    }
}
