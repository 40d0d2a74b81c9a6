namespace Hyper.Conformance.WebSockets;

public static partial class WebSocketCases
{
    /// <summary>
    /// Group 3: RSV1–3 must be 0 unless an agreed extension defines them (RFC 6455 §5.2); no extension is agreed here,
    /// so any of them fails the connection. A valid message first, where there is one, must still be echoed.
    /// </summary>
    private static IEnumerable<WebSocketCase> ReservedBits()
    {
        yield return Case("ws/3.1", "RFC 6455 §5.2", "a text frame with RSV1 set, no extension agreed", Fails(1002),
            Send(ClientFrame.Build(ClientFrame.Text, Utf8Bytes("Hello"), rsv: 4))) with { OverHttp2 = true };
        yield return Case("ws/3.2", "RFC 6455 §5.2", "a valid text echoed, then a text frame with RSV2 set", Fails(1002),
            SendText("Hello"), EchoText("Hello"), Send(ClientFrame.Build(ClientFrame.Text, Utf8Bytes("Hello"), rsv: 2)));
        yield return Case("ws/3.3", "RFC 6455 §5.2", "a valid text echoed, then RSV3 set (the frame and a Ping in one write)", Fails(1002),
            SendText("Hello"), EchoText("Hello"),
            Send([.. ClientFrame.Build(ClientFrame.Text, Utf8Bytes("Hello"), rsv: 1), .. ClientFrame.Build(ClientFrame.Ping, [])]));
        yield return Case("ws/3.4", "RFC 6455 §5.2", "a text frame with RSV1 and RSV3 set", Fails(1002),
            Send(ClientFrame.Build(ClientFrame.Text, Utf8Bytes("Hello"), rsv: 5)));
        yield return Case("ws/3.5", "RFC 6455 §5.2", "a binary frame with RSV2 and RSV3 set", Fails(1002),
            Send(ClientFrame.Build(ClientFrame.Binary, BinaryOf(8), rsv: 3)));
        yield return Case("ws/3.6", "RFC 6455 §5.2", "a Ping with all three RSV bits set", Fails(1002),
            Send(ClientFrame.Build(ClientFrame.Ping, Utf8Bytes("Hello"), rsv: 7)));
        yield return Case("ws/3.7", "RFC 6455 §5.2", "a Close with RSV1 and RSV2 set", Fails(1002),
            Send(ClientFrame.Build(ClientFrame.Close, ClientFrame.ClosePayload(1000), rsv: 6)));
    }
}
