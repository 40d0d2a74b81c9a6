namespace Hyper.Conformance.WebSockets;

/// <summary>A frame as the server sent it (RFC 6455 §5.2): its bits, and the payload (unmasked; a server must not mask).</summary>
public sealed record ServerFrame(bool Fin, int Rsv, int Opcode, bool Masked, byte[] Payload)
{
    public bool IsControl => Opcode >= 0x8;

    /// <summary>A Close frame's code, 1005 (none present) when its payload is empty.</summary>
    public int CloseCode => Payload.Length >= 2 ? Payload[0] << 8 | Payload[1] : 1005;

    public override string ToString() =>
        $"{OpcodeName(Opcode)}{(Fin ? "" : " (not final)")}{(Rsv != 0 ? $" rsv={Rsv}" : "")}{(Masked ? " MASKED" : "")} " +
        (Opcode == 0x8 ? $"code={CloseCode}" : $"length={Payload.Length}");

    public static string OpcodeName(int opcode) => opcode switch
    {
        0x0 => "CONTINUATION",
        0x1 => "TEXT",
        0x2 => "BINARY",
        0x8 => "CLOSE",
        0x9 => "PING",
        0xA => "PONG",
        _ => $"opcode {opcode:X}",
    };
}
