using System.Buffers;

namespace Hyper.Http11.Parsing;

/// <summary>A body of exactly Content-Length bytes (RFC 9112 §6.2): hands out slices until the count is reached.</summary>
internal sealed class ContentLengthBodyDecoder(long length)
{
    public long Remaining { get; private set; } = length;

    public bool IsComplete => Remaining == 0;

    /// <summary>The body bytes at the start of <paramref name="buffer"/>; never more than what remains.</summary>
    public ReadOnlySequence<byte> Read(in ReadOnlySequence<byte> buffer)
    {
        var take = Math.Min(Remaining, buffer.Length);
        Remaining -= take;
        return buffer.Slice(0, take);
    }
}
