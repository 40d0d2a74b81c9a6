namespace Hyper.Quic.Endpoint;

/// <summary>
/// A token bucket for stateless resets (RFC 9000 §10.3): up to one second's worth may go out in a burst, then the
/// rate. Time is the caller's microseconds.
/// </summary>
internal sealed class StatelessResetLimiter(int perSecond)
{
    private double _tokens = perSecond;
    private long _last = long.MinValue;

    public bool TryTake(long now)
    {
        if (perSecond == 0) return false;
        if (_last != long.MinValue && now > _last) _tokens = Math.Min(perSecond, _tokens + (now - _last) * perSecond / 1_000_000.0);
        _last = now;
        if (_tokens < 1) return false;
        _tokens--;
        return true;
    }
}
