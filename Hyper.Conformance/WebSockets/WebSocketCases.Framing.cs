namespace Hyper.Conformance.WebSockets;

public static partial class WebSocketCases
{
    /// <summary>The payload lengths at the edges of the 7-bit, 16-bit and 64-bit length forms (RFC 6455 §5.2).</summary>
    private static readonly int[] EdgeLengths = [0, 125, 126, 127, 128, 65_535, 65_536];

    /// <summary>Group 1: framing. Text and binary messages at every length form's edges, whole or in cut-up writes.</summary>
    private static IEnumerable<WebSocketCase> Framing()
    {
        for (var i = 0; i < EdgeLengths.Length; i++)
        {
            var text = TextOf(EdgeLengths[i]);
            yield return Case($"ws/1.1.{i + 1}", "RFC 6455 §5.2", $"a text message of {EdgeLengths[i]} bytes is echoed", Open,
                Send(ClientFrame.Build(ClientFrame.Text, text)), Echo(ClientFrame.Text, text)) with { OverHttp2 = i is 0 or 3 or 6 };
            var binary = BinaryOf(EdgeLengths[i]);
            yield return Case($"ws/1.2.{i + 1}", "RFC 6455 §5.2", $"a binary message of {EdgeLengths[i]} bytes is echoed", Open,
                Send(ClientFrame.Build(ClientFrame.Binary, binary)), Echo(ClientFrame.Binary, binary)) with { OverHttp2 = i == 6 };
        }
        var chopped = TextOf(65_536);
        yield return Case("ws/1.3.1", "RFC 6455 §5.2", "a 65,536-byte text message written in pieces of 997 bytes is echoed", Open,
            Send(ClientFrame.Build(ClientFrame.Text, chopped), splitEvery: 997), Echo(ClientFrame.Text, chopped));
        var small = TextOf(200);
        yield return Case("ws/1.3.2", "RFC 6455 §5.2", "a 200-byte text message (16-bit length) written one byte at a time is echoed", Open,
            Send(ClientFrame.Build(ClientFrame.Text, small), splitEvery: 1), Echo(ClientFrame.Text, small)) with { OverHttp2 = true };
        var binary64 = BinaryOf(70_000);
        yield return Case("ws/1.3.3", "RFC 6455 §5.2", "a 70,000-byte binary message (64-bit length) whose header arrives one byte at a time", Open,
            Send(ClientFrame.Build(ClientFrame.Binary, binary64)[..14], splitEvery: 1), Send(ClientFrame.Build(ClientFrame.Binary, binary64)[14..]),
            Echo(ClientFrame.Binary, binary64));
        yield return Case("ws/1.4.1", "RFC 6455 §5.2", "a 64-bit length with the most significant bit set is a protocol error", Fails(1002),
            Send(ClientFrame.HeaderOnly(ClientFrame.Binary, 0x8000_0000_0000_0000)));
        yield return Case("ws/1.4.2", "RFC 6455 §5.1", "an unmasked client frame is a protocol error", Fails(1002),
            Send(ClientFrame.Build(ClientFrame.Text, Utf8Bytes("Hello"), masked: false))) with { OverHttp2 = true };
        yield return Case("ws/1.4.3", "RFC 6455 §5.1", "an unmasked frame after a valid one: the first is echoed, then 1002", Fails(1002),
            SendText("first"), EchoText("first"), Send(ClientFrame.Build(ClientFrame.Binary, BinaryOf(10), masked: false)));
    }
}
