namespace Hyper.Core.Connections;

/// <summary>
/// Wakes one task of a multiplexed stream (a <c>receive</c> waiting for body, or a <c>send</c> waiting for
/// flow-control room) when the connection's reader has news for it. Both sides touch it only under the
/// connection driver's gate, so it needs no lock of its own. Continuations run asynchronously: the reader must
/// not run application code inside its own dispatch (and on the loop backend they return to the loop through the
/// captured context).
/// </summary>
internal sealed class StreamSignal
{
    private TaskCompletionSource? _waiter;
    private bool _set;

    /// <summary>Returns the task to await after leaving the gate: completed at once when news came since the last wait.</summary>
    public Task Prepare()
    {
        if (_set)
        {
            _set = false;
            return Task.CompletedTask;
        }
        _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _waiter.Task;
    }

    public void Set()
    {
        if (_waiter is { } waiter)
        {
            _waiter = null;
            waiter.TrySetResult();
            return;
        }
        _set = true;
    }
}
