using System.Buffers;
using System.Buffers.Binary;

namespace Hyper.Http2.Frames;

/// <summary>
/// The 9-octet frame header of RFC 9113 §4.1:
/// <code>
/// Length (24) | Type (8) | Flags (8) | Reserved (1) | Stream Identifier (31)
/// </code>
/// The reserved bit is ignored on receipt (§4.1).
/// </summary>
public readonly record struct Http2FrameHeader(int Length, Http2FrameType Type, Http2FrameFlags Flags, int StreamId)
{
    public const int Size = 9;

    public bool Has(Http2FrameFlags flag) => (Flags & flag) != 0;

    /// <summary>Reads a header from the first 9 bytes; false when fewer are buffered.</summary>
    public static bool TryRead(in ReadOnlySequence<byte> buffer, out Http2FrameHeader header)
    {
        if (buffer.Length < Size)
        {
            header = default;
            return false;
        }
        Span<byte> bytes = stackalloc byte[Size];
        buffer.Slice(0, Size).CopyTo(bytes);
        header = Read(bytes);
        return true;
    }

    public static Http2FrameHeader Read(ReadOnlySpan<byte> bytes)
    {
        var length = (bytes[0] << 16) | (bytes[1] << 8) | bytes[2];
        var streamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(bytes[5..]) & 0x7FFF_FFFF);
        return new Http2FrameHeader(length, (Http2FrameType)bytes[3], (Http2FrameFlags)bytes[4], streamId);
    }

    public void Write(Span<byte> destination)
    {
        destination[0] = (byte)(Length >> 16);
        destination[1] = (byte)(Length >> 8);
        destination[2] = (byte)Length;
        destination[3] = (byte)Type;
        destination[4] = (byte)Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], (uint)StreamId & 0x7FFF_FFFF);
    }
}
