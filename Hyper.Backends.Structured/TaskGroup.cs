using System.Runtime.ExceptionServices;
using Hyper.Core.Concurrency;

namespace Hyper.Backends.Structured;

/// <summary>
/// A nursery, as in trio: every task belongs to a group, and a group is not over until all of its tasks — and
/// the tasks of every group nested in it — are.
/// <list type="bullet">
/// <item>A task that fails cancels its group (and so its siblings and every nested group); the failure is
/// re-raised by <see cref="CloseAsync"/>: the single exception as it was thrown, several as an
/// <see cref="AggregateException"/>. An <see cref="OperationCanceledException"/> from a task of a cancelled group
/// is the cancellation doing its job, not a failure.</item>
/// <item><see cref="Cancel"/> cancels the group's token and, through it, every nested group and
/// <see cref="CancelScope"/> opened inside.</item>
/// <item><see cref="CloseAsync"/> (or <c>await using</c>) waits for every task; the group then refuses new
/// tasks and nested groups, so no task can outlive it. Until the last task ends, running tasks may still
/// start siblings (trio's rule: the nursery closes to new arrivals once it is empty).</item>
/// </list>
/// Applications reach a group through the <c>hyper.task_group</c> scope extension, or open their own with
/// <see cref="Open"/>, which nests it in the group (and cancel scope) the calling code runs in.
/// </summary>
public sealed class TaskGroup : ITaskScope, IAsyncDisposable
{
    // One lock for the whole tree: a task in a child group may start a task in its parent just before it ends,
    // and "the subtree is empty, close it" must be decided atomically against that. Spawns are per connection
    // or per app task, not per byte, so the lock is rarely contended.
    private readonly object _tree;
    private readonly TaskGroup? _parent;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly CancellationTokenRegistration _outerLink;
    private readonly HashSet<TaskGroup> _children = [];
    private List<Exception>? _errors;
    private TaskCompletionSource? _drained;
    private int _live;
    private bool _closed;
    private int _errorsReported;

    /// <summary>A root group, nested in nothing, whose deadlines are measured on <paramref name="time"/>.</summary>
    public TaskGroup(TimeProvider? time = null) : this(null, CancellationToken.None, time ?? TimeProvider.System) { }

    private TaskGroup(TaskGroup? parent, CancellationToken outer, TimeProvider time)
    {
        _parent = parent;
        _tree = parent?._tree ?? new object();
        Time = time;
        Token = _cancellation.Token;
        // A registration rather than a linked source: closing the group drops the link, so a long-lived parent
        // (the server's root) does not collect one callback per connection that ever existed.
        if (outer.CanBeCanceled) _outerLink = CallbackGuard.Register(outer, static g => ((TaskGroup)g!).Cancel(), this);
    }

    /// <summary>
    /// Opens a group nested in the one the calling code runs in (and cancelled with the innermost
    /// <see cref="CancelScope"/> around it); a root group when there is none. Close it with <c>await using</c>.
    /// </summary>
    public static TaskGroup Open()
    {
        var ambient = AmbientCancellation.Current;
        if (ambient is null) return new TaskGroup();
        if (ambient.Group is null) return new TaskGroup(null, ambient.Token, ambient.Time);
        return ambient.Group.AddChild(ambient.Token);
    }

    /// <summary>Cancelled when this group or any group or scope it is nested in is cancelled.</summary>
    public CancellationToken Token { get; }

    /// <summary>The clock that deadlines of scopes opened inside this group are measured on.</summary>
    public TimeProvider Time { get; }

    /// <summary>Tasks running now in this group and every group nested in it.</summary>
    public int LiveTasks => Volatile.Read(ref _live);

    /// <summary>True once the group has closed: it is empty and takes no new task.</summary>
    public bool IsClosed
    {
        get { lock (_tree) return _closed; }
    }

    /// <summary>Starts <paramref name="work"/> on the thread pool as a task of this group.</summary>
    /// <exception cref="ObjectDisposedException">The group has closed.</exception>
    public void Spawn(Func<CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_tree)
        {
            ThrowIfClosed();
            for (var group = this; group is not null; group = group._parent) group._live++;
        }
        CallbackGuard.Forget(RunTaskAsync(work), "task group task");
    }

    /// <summary>A group nested in this one: cancelling this one cancels it, closing this one waits for it.</summary>
    public ITaskScope CreateChild() => CreateChildGroup();

    /// <inheritdoc cref="CreateChild"/>
    public TaskGroup CreateChildGroup() => AddChild(Token);

    /// <summary>Cancels the group, every group nested in it and every scope opened inside.</summary>
    public void Cancel()
    {
        try { _cancellation.Cancel(); }
        catch (AggregateException) { /* a callback's own failure; the cancellation itself happened */ }
    }

    /// <summary>Completes when no task runs in this group or any nested group; never throws.</summary>
    public Task WhenAllAsync()
    {
        lock (_tree)
        {
            if (_live == 0) return Task.CompletedTask;
            return (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>
    /// Waits for every task in the group and the groups nested in it, closes the group to new tasks, detaches it
    /// from its parent, and re-raises the tasks' failures (once). It does not cancel: call <see cref="Cancel"/>
    /// first when the tasks must stop rather than finish.
    /// </summary>
    public async ValueTask CloseAsync()
    {
        List<TaskGroup>? closed = null;
        while (closed is null)
        {
            await WhenAllAsync().ConfigureAwait(false);
            lock (_tree)
            {
                if (_closed) break;
                if (_live != 0) continue;
                closed = [];
                MarkClosed(closed);
                _parent?._children.Remove(this);
            }
        }
        foreach (var group in closed ?? []) group._outerLink.Unregister();
        ThrowFailures();
    }

    /// <summary>Same as <see cref="CloseAsync"/>: <c>await using var group = TaskGroup.Open();</c> is a nursery block.</summary>
    public ValueTask DisposeAsync() => CloseAsync();

    private TaskGroup AddChild(CancellationToken outer)
    {
        lock (_tree)
        {
            ThrowIfClosed();
            var child = new TaskGroup(this, outer, Time);
            _children.Add(child);
            return child;
        }
    }

    private async Task RunTaskAsync(Func<CancellationToken, Task> work)
    {
        try
        {
            await Task.Run(() =>
            {
                // The task runs inside this group: scopes and groups it opens nest here.
                AmbientCancellation.Current = new AmbientCancellation(this, Token, Time);
                return work(Token);
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested) { }
        catch (Exception ex)
        {
            lock (_tree) (_errors ??= []).Add(ex);
            // trio: one failing child cancels its siblings, so the group ends promptly and the error surfaces.
            Cancel();
        }
        finally
        {
            Finish();
        }
    }

    private void Finish()
    {
        List<TaskCompletionSource>? drained = null;
        lock (_tree)
        {
            for (var group = this; group is not null; group = group._parent)
            {
                if (--group._live != 0 || group._drained is not { } waiter) continue;
                (drained ??= []).Add(waiter);
                group._drained = null;
            }
        }
        foreach (var waiter in drained ?? []) waiter.TrySetResult();
    }

    private void MarkClosed(List<TaskGroup> closed)
    {
        _closed = true;
        closed.Add(this);
        foreach (var child in _children) child.MarkClosed(closed);
    }

    private void ThrowIfClosed()
    {
        if (_closed) throw new ObjectDisposedException(nameof(TaskGroup), "The task group has closed; no task may start in it.");
    }

    private void ThrowFailures()
    {
        Exception[] errors;
        lock (_tree)
        {
            if (_errors is null) return;
            errors = [.. _errors];
        }
        if (Interlocked.Exchange(ref _errorsReported, 1) != 0) return;
        if (errors.Length == 1) ExceptionDispatchInfo.Throw(errors[0]);
        throw new AggregateException("Several tasks of the group failed.", errors);
    }
}
