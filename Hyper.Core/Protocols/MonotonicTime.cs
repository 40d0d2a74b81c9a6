namespace Hyper.Core.Protocols;

/// <summary>
/// The time base protocols use: <see cref="TimeSpan"/> ticks (100 ns) from an arbitrary monotonic origin,
/// read by the driver from the backend's <see cref="TimeProvider"/> and passed in as <c>now</c>.
/// </summary>
public static class MonotonicTime
{
    public static long Now(TimeProvider time)
    {
        var ts = time.GetTimestamp();
        var frequency = time.TimestampFrequency;
        return frequency == TimeSpan.TicksPerSecond
            ? ts
            : (long)((Int128)ts * TimeSpan.TicksPerSecond / frequency);
    }

    /// <summary>A deadline <paramref name="after"/> from <paramref name="now"/>, saturating instead of overflowing.</summary>
    public static long After(long now, TimeSpan after) =>
        after == Timeout.InfiniteTimeSpan || after.Ticks > long.MaxValue - now ? long.MaxValue : now + after.Ticks;
}
