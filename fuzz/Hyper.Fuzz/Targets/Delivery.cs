namespace Hyper.Fuzz.Targets;

/// <summary>
/// How one input reaches a stream parser: in one read, in two reads cut at a position the input itself chooses, or
/// one byte per read (the slowest network). A parser must answer the same whichever way the bytes arrive
/// (RFC 9112 §2.2 and RFC 9113 §4 define messages and frames, never reads).
/// </summary>
public static class Delivery
{
    /// <summary>Inputs longer than this are not also fed byte by byte (it would make one execution too slow).</summary>
    public const int ByteByByteLimit = 2048;

    /// <summary>The chunkings to play for <paramref name="input"/>: whole first, then the split ones.</summary>
    public static IEnumerable<int[]> Plans(ReadOnlySpan<byte> input)
    {
        var length = input.Length;
        var plans = new List<int[]> { new[] { length } };
        if (length < 2) return plans;

        // The cut comes from the input's content, so the fuzzer can steer it and a crash file reproduces it.
        var hash = 17;
        foreach (var b in input) hash = unchecked(hash * 31 + b);
        var cut = 1 + (int)((uint)hash % (uint)(length - 1));
        plans.Add([cut, length - cut]);

        if (length <= ByteByByteLimit) plans.Add(Enumerable.Repeat(1, length).ToArray());
        return plans;
    }
}
