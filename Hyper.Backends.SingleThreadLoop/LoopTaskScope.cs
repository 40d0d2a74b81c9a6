using Hyper.Core.Concurrency;

namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// A task scope on event loops: <see cref="Spawn"/> queues the work to the loop of the calling thread (so a
/// connection's requests stay on the loop that accepted it), or to the first loop when called off every loop,
/// and starts it there under the loop's SynchronizationContext. Tasks are counted until they end; children are
/// cancelled with their parent, and the scope is idle when its own tasks and its children's have finished.
/// </summary>
internal sealed class LoopTaskScope : ITaskScope
{
    private readonly IReadOnlyList<EventLoop> _loops;
    private readonly LoopTaskScope? _parent;
    private readonly CancellationTokenSource _cancellation;
    private readonly HashSet<LoopTaskScope> _children = [];
    private readonly object _sync = new();
    private int _active;
    private TaskCompletionSource? _idle;

    public LoopTaskScope(IReadOnlyList<EventLoop> loops) : this(loops, null, new CancellationTokenSource()) { }

    private LoopTaskScope(IReadOnlyList<EventLoop> loops, LoopTaskScope? parent, CancellationTokenSource cancellation)
    {
        _loops = loops;
        _parent = parent;
        _cancellation = cancellation;
    }

    public CancellationToken Token => _cancellation.Token;

    public void Spawn(Func<CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_sync) _active++;
        var loop = EventLoop.Current is { } current && _loops.Contains(current) ? current : _loops[0];
        loop.Post(static s => { var (scope, w) = ((LoopTaskScope, Func<CancellationToken, Task>))s!; CallbackGuard.Forget(scope.RunTrackedAsync(w), "event loop task"); }, (this, work));
    }

    /// <summary>Runs one unit of work on the loop and counts it down when it ends, however it ends.</summary>
    private async Task RunTrackedAsync(Func<CancellationToken, Task> work)
    {
        try
        {
            // No ConfigureAwait(false): the bookkeeping resumes on this loop, like the work itself.
            await work(_cancellation.Token);
        }
        catch
        {
            // Failures are the work's own to report (the driver logs its own); the scope only tracks lifetimes.
        }
        finally
        {
            TaskCompletionSource? idle = null;
            lock (_sync)
            {
                if (--_active == 0)
                {
                    idle = _idle;
                    _idle = null;
                }
            }
            idle?.TrySetResult();
        }
    }

    public ITaskScope CreateChild()
    {
        var child = new LoopTaskScope(_loops, this, CancellationTokenSource.CreateLinkedTokenSource(_cancellation.Token));
        lock (_sync) _children.Add(child);
        return child;
    }

    public void Cancel()
    {
        try { _cancellation.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    public async Task WhenAllAsync()
    {
        // Re-check until one pass finds nothing running: tasks may spawn tasks (or children) while we wait.
        bool waited;
        do
        {
            waited = false;
            Task own;
            LoopTaskScope[] children;
            lock (_sync)
            {
                own = _active == 0 ? Task.CompletedTask : (_idle ??= new TaskCompletionSource()).Task;
                children = [.. _children];
            }
            if (!own.IsCompleted)
            {
                await own;
                waited = true;
            }
            foreach (var child in children)
            {
                var pending = child.WhenAllAsync();
                if (pending.IsCompleted) continue;
                await pending;
                waited = true;
            }
        }
        while (waited);
    }

    public async ValueTask CloseAsync()
    {
        await WhenAllAsync();
        if (_parent is null) return;
        lock (_parent._sync) _parent._children.Remove(this);
        _cancellation.Dispose();
    }
}
