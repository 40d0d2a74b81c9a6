namespace Hyper.Core.Connections;

/// <summary>
/// The explicit signal a multiplexed connection's owner loop waits on together with its read: a stream handed it
/// output to flush, a handler finished, a deadline came, or shutdown began. Set from stream tasks, the owner and the
/// backend's timer (another thread), so it takes a small lock of its own. Setting it while nobody waits is remembered:
/// the owner's next wait then returns at once (no lost wake-ups).
/// </summary>
internal sealed class OwnerWakeup
{
    private readonly Lock _sync = new();
    private TaskCompletionSource? _waiter;
    private bool _set;

    /// <summary>The task the owner awaits (beside its read); completed at once when set since the last wait.</summary>
    public Task Prepare()
    {
        lock (_sync)
        {
            if (_set)
            {
                _set = false;
                return Task.CompletedTask;
            }
            // Continuations run asynchronously: whoever sets must not run the owner's loop inside its own call.
            return (_waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    public void Set()
    {
        TaskCompletionSource? waiter;
        lock (_sync)
        {
            waiter = _waiter;
            _waiter = null;
            if (waiter is null) _set = true;
        }
        waiter?.TrySetResult();
    }
}
