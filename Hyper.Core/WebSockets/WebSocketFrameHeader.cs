namespace Hyper.Core.WebSockets;

/// <summary>
/// One frame header (RFC 6455 §5.2). <see cref="MaskKey"/> holds the four masking-key bytes in wire order,
/// the first byte in the lowest eight bits (the layout <see cref="WebSocketMask"/> expects).
/// </summary>
internal readonly record struct WebSocketFrameHeader(
    bool Fin, bool Rsv1, bool Rsv2, bool Rsv3, WebSocketOpcode Opcode, bool Masked, uint MaskKey, long PayloadLength)
{
    /// <summary>Close, Ping and Pong: opcodes with the high bit set (RFC 6455 §5.5).</summary>
    public bool IsControl => ((byte)Opcode & 0x8) != 0;

    /// <summary>The largest header: 2 fixed bytes, 8 of extended length, 4 of masking key.</summary>
    public const int MaxSize = 14;
}
