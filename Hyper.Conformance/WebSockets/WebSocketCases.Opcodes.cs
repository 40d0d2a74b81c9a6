namespace Hyper.Conformance.WebSockets;

public static partial class WebSocketCases
{
    /// <summary>Group 4: the opcodes 0x3–0x7 (data) and 0xB–0xF (control) are reserved; receiving one fails the connection (RFC 6455 §5.2).</summary>
    private static IEnumerable<WebSocketCase> Opcodes()
    {
        foreach (var opcode in new[] { 3, 4, 5, 6, 7 })
        {
            yield return Case($"ws/4.1.{opcode - 2}", "RFC 6455 §5.2", $"a valid text echoed, then a frame with the reserved data opcode {opcode}", Fails(1002),
                SendText("Hello"), EchoText("Hello"), Send(ClientFrame.Build(opcode, Utf8Bytes("reserved")))) with { OverHttp2 = opcode == 3 };
        }
        foreach (var opcode in new[] { 0xB, 0xC, 0xD, 0xE, 0xF })
        {
            yield return Case($"ws/4.2.{opcode - 0xA}", "RFC 6455 §5.2", $"a frame with the reserved control opcode {opcode:X}, then a Ping", Fails(1002),
                Send([.. ClientFrame.Build(opcode, []), .. ClientFrame.Build(ClientFrame.Ping, [])]));
        }
    }
}
