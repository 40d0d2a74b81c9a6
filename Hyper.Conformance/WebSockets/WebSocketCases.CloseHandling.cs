namespace Hyper.Conformance.WebSockets;

public static partial class WebSocketCases
{
    /// <summary>Close codes an endpoint may send (RFC 6455 §7.4.1, and the ranges of §7.4.2).</summary>
    private static readonly int[] ValidCloseCodes = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];

    /// <summary>Codes that may not appear in a Close frame: unassigned, reserved (1004), or local-only (1005, 1006, 1015).</summary>
    private static readonly int[] InvalidCloseCodes = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];

    /// <summary>
    /// Group 7: the close handshake (RFC 6455 §5.5.1, §7). A Close is answered with a Close echoing the code, nothing
    /// the peer sends after its Close is processed, and the server then closes the TCP connection (§7.1.1). A Close
    /// whose payload breaks a rule fails the connection.
    /// </summary>
    private static IEnumerable<WebSocketCase> CloseHandling()
    {
        yield return Case("ws/7.1.1", "RFC 6455 §5.5.1", "a text message echoed, then Close 1000 answered with 1000", Replies(1000),
            SendText("Hello"), EchoText("Hello"), SendClose(1000)) with { OverHttp2 = true };
        yield return Case("ws/7.1.2", "RFC 6455 §5.5.1", "two Close frames: the first is answered once, the second ignored", Replies(1000),
            Send([.. ClientFrame.Build(ClientFrame.Close, ClientFrame.ClosePayload(1000)), .. ClientFrame.Build(ClientFrame.Close, ClientFrame.ClosePayload(1001))]));
        yield return Case("ws/7.1.3", "RFC 6455 §5.5.1", "a Ping after the Close gets no Pong", Replies(1000),
            Send([.. ClientFrame.Build(ClientFrame.Close, ClientFrame.ClosePayload(1000)), .. ClientFrame.Build(ClientFrame.Ping, Utf8Bytes("late"))]));
        yield return Case("ws/7.1.4", "RFC 6455 §5.5.1", "a text message after the Close is not echoed", Replies(1000),
            Send([.. ClientFrame.Build(ClientFrame.Close, ClientFrame.ClosePayload(1000)), .. ClientFrame.Build(ClientFrame.Text, Utf8Bytes("late"))])) with { OverHttp2 = true };
        yield return Case("ws/7.1.5", "RFC 6455 §5.5.1", "a fragment after the Close is not processed (no 1002 for the missing end)", Replies(1000),
            Send([.. ClientFrame.Build(ClientFrame.Close, ClientFrame.ClosePayload(1000)), .. ClientFrame.Build(ClientFrame.Text, Utf8Bytes("late"), fin: false)]));
        yield return Case("ws/7.1.6", "RFC 6455 §5.5.1", "a 256 KiB message, a Close and a Ping in one write: the reply (the echo may come first), no Pong",
            new WebSocketExpectation.Replies(1000, MessagesMayPrecede: true),
            Send([.. ClientFrame.Build(ClientFrame.Binary, BinaryOf(256 * 1024)), .. ClientFrame.Build(ClientFrame.Close, ClientFrame.ClosePayload(1000)),
                .. ClientFrame.Build(ClientFrame.Ping, Utf8Bytes("late"))]));
        yield return Case("ws/7.3.1", "RFC 6455 §5.5.1", "a Close without payload is answered with an empty Close", Replies(1005),
            Send(ClientFrame.Build(ClientFrame.Close, [])));
        yield return Case("ws/7.3.2", "RFC 6455 §5.5.1", "a Close with a 1-byte payload (half a code) is a protocol error", Fails(1002),
            Send(ClientFrame.Build(ClientFrame.Close, [0x03]))) with { OverHttp2 = true };
        yield return Case("ws/7.3.3", "RFC 6455 §5.5.1", "a Close with code 1000 and a reason is answered with 1000", Replies(1000),
            SendClose(1000, "Hello World!"));
        yield return Case("ws/7.3.4", "RFC 6455 §5.5", "a Close with the longest reason, 123 bytes, is answered", Replies(1000),
            Send(ClientFrame.Build(ClientFrame.Close, ClientFrame.ClosePayload(1000, TextOf(123)))));
        yield return Case("ws/7.3.5", "RFC 6455 §5.5", "a Close with a 124-byte reason (a 126-byte control payload) is a protocol error", Fails(1002),
            Send(ClientFrame.Build(ClientFrame.Close, ClientFrame.ClosePayload(1000, TextOf(124)))));
        yield return Case("ws/7.5.1", "RFC 6455 §5.5.1", "a Close reason that is not UTF-8", Fails(1007),
            Send(ClientFrame.Build(ClientFrame.Close, ClientFrame.ClosePayload(1000, [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xED, 0xA0, 0x80]))));
        for (var i = 0; i < ValidCloseCodes.Length; i++)
        {
            yield return Case($"ws/7.7.{i + 1}", "RFC 6455 §7.4", $"Close {ValidCloseCodes[i]} is answered with the same code", Replies(ValidCloseCodes[i]),
                SendClose(ValidCloseCodes[i])) with { OverHttp2 = ValidCloseCodes[i] == 4000 };
        }
        for (var i = 0; i < InvalidCloseCodes.Length; i++)
        {
            yield return Case($"ws/7.9.{i + 1}", "RFC 6455 §7.4", $"Close {InvalidCloseCodes[i]}, a code that may not be sent, is a protocol error", Fails(1002),
                SendClose(InvalidCloseCodes[i]));
        }
    }
}
