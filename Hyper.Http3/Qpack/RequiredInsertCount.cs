namespace Hyper.Http3.Qpack;

/// <summary>
/// The Required Insert Count of a field section prefix, encoded modulo 2 × MaxEntries so that it fits a few bits
/// whatever the connection's lifetime (RFC 9204 §4.5.1.1).
/// </summary>
internal static class RequiredInsertCount
{
    /// <summary>MaxEntries of RFC 9204 §3.2.2: the most entries a table of that capacity can hold.</summary>
    public static long MaxEntries(long maxTableCapacity) => maxTableCapacity / QpackDynamicTable.EntryOverhead;

    /// <summary>The encoded form of <paramref name="requiredInsertCount"/> (RFC 9204 §4.5.1.1).</summary>
    public static long Encode(long requiredInsertCount, long maxTableCapacity) =>
        requiredInsertCount == 0 ? 0 : requiredInsertCount % (2 * MaxEntries(maxTableCapacity)) + 1;

    /// <summary>
    /// Recovers the Required Insert Count from its encoded form, given the decoder's insert count so far. False when
    /// no conformant encoder could have produced the value (RFC 9204 §4.5.1.1: QPACK_DECOMPRESSION_FAILED).
    /// </summary>
    public static bool TryDecode(long encoded, long maxTableCapacity, long totalInserts, out long requiredInsertCount)
    {
        requiredInsertCount = 0;
        if (encoded == 0) return true;

        var maxEntries = MaxEntries(maxTableCapacity);
        var fullRange = 2 * maxEntries;
        if (encoded > fullRange) return false;

        // The true value is within MaxEntries of the decoder's insert count; unwrap it from the nearest window.
        var maxValue = totalInserts + maxEntries;
        var maxWrapped = maxValue / fullRange * fullRange;
        var value = maxWrapped + encoded - 1;
        if (value > maxValue)
        {
            if (value <= fullRange) return false;
            value -= fullRange;
        }

        if (value == 0) return false;
        requiredInsertCount = value;
        return true;
    }
}
