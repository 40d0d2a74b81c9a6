namespace Hyper.Http2.Frames;

/// <summary>Frame flags of RFC 9113 §6; their meaning depends on the frame type (ACK and END_STREAM share a bit).</summary>
[Flags]
public enum Http2FrameFlags : byte
{
    None = 0x0,
    EndStream = 0x1,
    Ack = 0x1,
    EndHeaders = 0x4,
    Padded = 0x8,
    Priority = 0x20,
}
