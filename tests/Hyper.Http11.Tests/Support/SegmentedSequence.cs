using System.Buffers;

namespace Hyper.Http11.Tests.Support;

/// <summary>Builds a multi-segment <see cref="ReadOnlySequence{T}"/> so parsers meet segment boundaries anywhere.</summary>
internal static class SegmentedSequence
{
    /// <summary>One segment per run between the given cut positions (ascending, within the data).</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> data, params int[] cuts)
    {
        if (data.IsEmpty) return ReadOnlySequence<byte>.Empty;
        var length = data.Length;
        var bounds = cuts.Where(c => c > 0 && c < length).Distinct().Order().Append(length).ToArray();
        Segment? first = null, last = null;
        var start = 0;
        foreach (var end in bounds)
        {
            // Each segment gets its own array, as a pipe's buffers would.
            var segment = new Segment(data[start..end].ToArray());
            if (first is null) first = segment;
            else last!.Append(segment);
            last = segment;
            start = end;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    /// <summary>Every byte in its own segment.</summary>
    public static ReadOnlySequence<byte> PerByte(ReadOnlySpan<byte> data) => Split(data, Enumerable.Range(1, Math.Max(0, data.Length - 1)).ToArray());

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data) => Memory = data;

        public void Append(Segment next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
        }
    }
}
