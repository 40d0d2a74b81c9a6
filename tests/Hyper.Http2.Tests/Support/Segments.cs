using System.Buffers;

namespace Hyper.Http2.Tests.Support;

/// <summary>Builds multi-segment sequences, so parsing is exercised across segment boundaries.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var points = cuts.Where(c => c > 0 && c < bytes.Length).Distinct().Order().ToList();
        points.Add(bytes.Length);
        Segment? first = null, last = null;
        var start = 0;
        foreach (var point in points)
        {
            var segment = new Segment(bytes.AsMemory(start, point - start), last);
            first ??= segment;
            last = segment;
            start = point;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
