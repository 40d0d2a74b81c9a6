namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// The backend's clock: monotonic timestamps (<see cref="TimeProvider.GetTimestamp"/>, Stopwatch's) and timers
/// whose callbacks run on a loop — the loop of the thread that creates the timer, or the first loop when it is
/// created off every loop.
/// </summary>
public sealed class LoopTimeProvider : TimeProvider
{
    private readonly IReadOnlyList<EventLoop> _loops;

    internal LoopTimeProvider(IReadOnlyList<EventLoop> loops) => _loops = loops;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var loop = EventLoop.Current is { } current && _loops.Contains(current) ? current : _loops[0];
        return new LoopTimer(loop.Timers, callback, state, dueTime, period);
    }
}
