using System.Diagnostics;

namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// A <see cref="ITimer"/> whose callback runs on its loop. <see cref="Change"/> and <see cref="Dispose"/> may be
/// called from any thread: off the loop they are posted to it, so the timer's state is only ever touched there.
/// </summary>
internal sealed class LoopTimer : ITimer
{
    private readonly LoopTimerQueue _queue;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    // As System.Threading.Timer does, the creator's ExecutionContext flows into the callback: its AsyncLocals (the
    // connection a failure is logged against, ConnectionLogContext) are there when the callback runs. Null when the
    // creator suppressed the flow.
    private readonly ExecutionContext? _context = ExecutionContext.Capture();
    private long _period;
    private bool _disposed;

    public LoopTimer(LoopTimerQueue queue, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _queue = queue;
        _callback = callback;
        _state = state;
        Change(dueTime, period);
    }

    /// <summary>Stopwatch timestamp the callback is due at; long.MaxValue when disarmed.</summary>
    internal long Due { get; private set; } = long.MaxValue;

    /// <summary>The timestamp of this timer's live heap entry; long.MaxValue when it has none.</summary>
    internal long QueuedAt { get; set; } = long.MaxValue;

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (Volatile.Read(ref _disposed)) return false;
        var due = ToTicks(dueTime);
        var every = period <= TimeSpan.Zero ? -1 : ToTicks(period);
        if (_queue.Loop.IsOnLoop) Arm(due, every);
        else _queue.Loop.Post(static s => { var (t, d, p) = ((LoopTimer, long, long))s!; t.Arm(d, p); }, (this, due, every));
        return true;
    }

    private void Arm(long dueTicks, long periodTicks)
    {
        if (_disposed) return;
        _period = periodTicks;
        Due = dueTicks < 0 ? long.MaxValue : Stopwatch.GetTimestamp() + dueTicks;
        if (Due != long.MaxValue) _queue.Schedule(this);
    }

    internal void Fire(long now)
    {
        if (_disposed) return;
        Due = _period > 0 ? now + _period : long.MaxValue;
        if (Due != long.MaxValue) _queue.Schedule(this);
        EventLoop.Invoke(static s => ((LoopTimer)s!).Run(), this);
    }

    private void Run()
    {
        if (_context is null) _callback(_state);
        else ExecutionContext.Run(_context, static s => { var t = (LoopTimer)s!; t._callback(t._state); }, this);
    }

    /// <summary>A duration as Stopwatch ticks; -1 for "never" (Timeout.InfiniteTimeSpan or any negative span).</summary>
    private static long ToTicks(TimeSpan span)
    {
        if (span < TimeSpan.Zero) return -1;
        return (long)(span.Ticks * ((double)Stopwatch.Frequency / TimeSpan.TicksPerSecond));
    }

    public void Dispose()
    {
        if (_queue.Loop.IsOnLoop) Disarm(this);
        else _queue.Loop.Post(static s => Disarm((LoopTimer)s!), this);
        Volatile.Write(ref _disposed, true);
    }

    private static void Disarm(LoopTimer timer)
    {
        timer._disposed = true;
        timer.Due = long.MaxValue;
        timer.QueuedAt = long.MaxValue; // its heap entry, if any, is now stale
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
