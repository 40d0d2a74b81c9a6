using System.Collections.Concurrent;
using Hyper.Core.Concurrency;

namespace Hyper.Backends.ThreadPool;

/// <summary>
/// A task scope on the .NET thread pool: work is queued to the pool, tracked until it ends, and observes the
/// scope's cancellation token. Children are cancelled with their parent.
/// </summary>
internal sealed class ThreadPoolTaskScope : ITaskScope
{
    private readonly CancellationTokenSource _cancellation;
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly ConcurrentDictionary<ThreadPoolTaskScope, byte> _children = new();
    private readonly ThreadPoolTaskScope? _parent;

    public ThreadPoolTaskScope() : this(null, new CancellationTokenSource()) { }

    private ThreadPoolTaskScope(ThreadPoolTaskScope? parent, CancellationTokenSource cancellation)
    {
        _parent = parent;
        _cancellation = cancellation;
    }

    public CancellationToken Token => _cancellation.Token;

    public void Spawn(Func<CancellationToken, Task> work)
    {
        var token = _cancellation.Token;
        var task = Task.Run(() => work(token), CancellationToken.None);
        _running.TryAdd(task, 0);
        CallbackGuard.ContinueWith(task, static (t, state) => ((ThreadPoolTaskScope)state!)._running.TryRemove(t, out _), this, "task scope bookkeeping");
    }

    public ITaskScope CreateChild()
    {
        var child = new ThreadPoolTaskScope(this, CancellationTokenSource.CreateLinkedTokenSource(_cancellation.Token));
        _children.TryAdd(child, 0);
        return child;
    }

    public void Cancel()
    {
        try { _cancellation.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    public async Task WhenAllAsync()
    {
        while (true)
        {
            var tasks = _running.Keys.ToArray();
            var children = _children.Keys.ToArray();
            if (tasks.Length == 0 && children.Length == 0) return;
            foreach (var child in children)
            {
                await child.WhenAllAsync().ConfigureAwait(false);
                _children.TryRemove(child, out _);
            }
            try { await Task.WhenAll(tasks).ConfigureAwait(false); }
            catch { /* failures are the work's own to report; the scope only waits */ }
        }
    }


    public async ValueTask CloseAsync()
    {
        await WhenAllAsync().ConfigureAwait(false);
        _parent?._children.TryRemove(this, out _);
        if (_parent is not null) _cancellation.Dispose();
    }
}
