namespace Hyper.Core.Connections;

/// <summary>What the server is waiting for from the client when the response-rate clock is checked.</summary>
internal enum ClientOwes
{
    /// <summary>Output is waiting for the client: a flush is blocked, or sent bytes are not yet acknowledged.</summary>
    Output,

    /// <summary>Nothing blocks on the client now, but the transport cannot tell whether it has taken everything.</summary>
    Unknown,

    /// <summary>The client has acknowledged every byte sent and nothing waits: the busy period is over.</summary>
    Nothing,
}

/// <summary>
/// The minimum response rate of one connection (docs/security.md SL-03), as Kestrel's MinResponseDataRate but judged on
/// what the client really takes. A busy period starts when the server first waits on the client; its grace period is
/// given once, however many flushes block and resume within it. After the grace every second counted costs the client
/// <c>min_response_rate</c> bytes, paid from what it takes; what it takes beyond that is banked, up to one grace period's
/// worth (rate × grace), and the client is behind once the bank is overdrawn. The cap is what makes a tiny receive
/// window cheap to judge: the client's own buffer, filled at once, would otherwise prepay many seconds of stalling
/// (4 KiB at 240 B/s is 17 s), and a client that read a lot once could stall for as long as that paid for. The price:
/// a client must not fall silent for longer than its bank lasts, so a reader whose TCP acknowledgements come in steps
/// spaced wider than the grace period (a large window over loopback, read very slowly) is cut even if its average
/// would pass.
/// <para>
/// Only time while output waits for the client counts (an application that writes nothing, as in a long poll, costs
/// the client nothing). The busy period ends only when the client has acknowledged everything sent: a reader that
/// takes a little, blocks the server again, and so on, stays on the same clock and gets no new grace.
/// </para>
/// <para>
/// A check that comes late means the server itself did not run (a starved CPU, a paused machine): as Kestrel does with
/// its heartbeat, each check counts at most one <see cref="Period"/> against the client.
/// </para>
/// Not thread-safe: <see cref="ResponseRateWatch"/> serialises the calls. Byte counts are cumulative for the
/// connection (acknowledged bytes where the transport knows them, else bytes sent).
/// </summary>
internal sealed class ResponseRateClock(TimeProvider time, double minRate, TimeSpan grace)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private bool _busy;
    private bool _paused;
    private long _lastCheck;
    private long _lastTaken;
    private double _bank;
    private TimeSpan _counted;

    /// <summary>Whether the clock counts time now (a busy period that is not paused).</summary>
    public bool IsCounting => _busy && !_paused;

    /// <summary>Time counted against the client in this busy period, grace included.</summary>
    public TimeSpan Counted => _counted;

    /// <summary>The server waits on the client from now: starts a busy period, or resumes a paused one.</summary>
    public void Resume(long taken)
    {
        if (IsCounting) return;
        if (!_busy)
        {
            _busy = true;
            _counted = TimeSpan.Zero;
            _bank = 0;
        }
        _paused = false;
        _lastCheck = time.GetTimestamp();
        // Bytes that moved while nothing was waiting are no evidence about this client's reading.
        _lastTaken = taken;
    }

    /// <summary>Counts the time since the last check; true when the client is behind the minimum rate.</summary>
    public bool Check(long taken, ClientOwes owes)
    {
        if (!IsCounting) return false;
        var now = time.GetTimestamp();
        var gap = time.GetElapsedTime(_lastCheck, now);
        _lastCheck = now;
        var earned = Math.Max(0, taken - _lastTaken);
        _lastTaken = taken;
        switch (owes)
        {
            case ClientOwes.Nothing:
                _busy = false;
                return false;
            case ClientOwes.Unknown:
                _paused = true;
                return false;
        }
        var before = _counted;
        _counted += gap < Period ? gap : Period;
        var charged = _counted <= grace ? TimeSpan.Zero : _counted - (before > grace ? before : grace);
        _bank = Math.Min(_bank + earned - minRate * charged.TotalSeconds, minRate * grace.TotalSeconds);
        return _bank < 0;
    }
}
