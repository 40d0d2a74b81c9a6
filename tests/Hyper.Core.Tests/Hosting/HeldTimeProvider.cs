namespace Hyper.Core.Tests.Hosting;

/// <summary>
/// A clock whose timers never fire by themselves: the test fires them when it wants, even after they were disposed.
/// That is what the runtime does when a timer came due and its callback was queued to the thread pool just before
/// the owner disposed it (Timer.Dispose does not wait for a queued or running callback).
/// </summary>
internal sealed class HeldTimeProvider : TimeProvider
{
    private readonly List<HeldTimer> _timers = [];

    public IReadOnlyList<HeldTimer> Timers => _timers;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new HeldTimer(callback, state, dueTime);
        _timers.Add(timer);
        return timer;
    }

    /// <summary>Runs every timer's callback as if it had come due a moment before its disposal.</summary>
    public void FireAllLate()
    {
        foreach (var timer in _timers.ToArray()) timer.Fire();
    }

    internal sealed class HeldTimer(TimerCallback callback, object? state, TimeSpan dueTime) : ITimer
    {
        public TimeSpan DueTime { get; private set; } = dueTime;
        public bool Disposed { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            DueTime = dueTime;
            return !Disposed;
        }

        public void Dispose() => Disposed = true;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
