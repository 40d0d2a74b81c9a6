namespace Hyper.Core.Protocols;

/// <summary>
/// A token bucket (nghttp2's <c>nghttp2_ratelim</c>): <see cref="Burst"/> tokens, refilled at <see cref="Rate"/> per
/// second. Each suspicious or reply-demanding frame takes one; an empty bucket means the peer is flooding.
/// Time comes in as <c>now</c> (<see cref="MonotonicTime"/> ticks), so the bucket stays sans-IO. Shared by the HTTP/2
/// and HTTP/3 flood defences.
/// </summary>
public sealed class TokenBucket(int burst, int rate)
{
    private double _tokens = burst;
    private long _updatedAt = long.MinValue;

    public int Burst { get; } = burst;
    public int Rate { get; } = rate;

    /// <summary>Takes one token; false when none is left.</summary>
    public bool TryTake(long now)
    {
        Refill(now);
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }

    private void Refill(long now)
    {
        if (_updatedAt == long.MinValue)
        {
            _updatedAt = now;
            return;
        }
        if (now <= _updatedAt) return;
        var seconds = (now - _updatedAt) / (double)TimeSpan.TicksPerSecond;
        _tokens = Math.Min(Burst, _tokens + seconds * Rate);
        _updatedAt = now;
    }
}
