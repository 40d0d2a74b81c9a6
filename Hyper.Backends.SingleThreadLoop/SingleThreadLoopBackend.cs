using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;

namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// asyncio's model in .NET (docs/architecture.md, Backends): N event-loop threads, each owning its listener (SO_REUSEPORT), its
/// non-blocking sockets and its timers, running every continuation of its connections and of their application
/// code through its own SynchronizationContext. Blocking application code goes to <see cref="OffLoop"/>.
/// </summary>
public sealed class SingleThreadLoopBackend : IServerBackend, IDatagramTransport
{
    public const string BackendName = "single-thread-loop";

    private readonly EventLoop[] _loops;
    private readonly LoopTaskScope _root;
    private readonly LoopTimeProvider _time;
    private int _disposed;

    public SingleThreadLoopBackend(SingleThreadLoopOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Loops < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Loops, "loops must be at least 1");
        _loops = new EventLoop[options.Loops];
        for (var i = 0; i < _loops.Length; i++)
        {
            _loops[i] = new EventLoop(i);
            _loops[i].Start();
        }
        _root = new LoopTaskScope(_loops);
        _time = new LoopTimeProvider(_loops);
    }

    public string Name => BackendName;
    public TimeProvider Time => _time;
    public ITaskScope RootScope => _root;

    /// <summary>The managed thread ids of the loops, in loop order (for diagnostics and tests).</summary>
    public IReadOnlyList<int> LoopThreadIds => _loops.Select(l => l.ThreadId).ToArray();

    public ValueTask<IReadOnlyList<ITransportListener>> BindAsync(BindAddress address, int backlog, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<ITransportListener>>(ReusePortListener.BindAll(address, backlog, _loops));

    /// <summary>
    /// One non-blocking UDP socket per loop on the same port (SO_REUSEPORT): the kernel keeps each client's 4-tuple
    /// on one socket, so a QUIC connection lives on one loop; receives complete on that loop (epoll).
    /// </summary>
    public ValueTask<IReadOnlyList<IDatagramSocket>> BindDatagramAsync(BindAddress address, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<IDatagramSocket>>(LoopDatagramSocket.BindAll(address, _loops));

    /// <summary>Runs <paramref name="main"/> on the first loop; completes (off the loop) when it does.</summary>
    public Task RunAsync(Func<CancellationToken, Task> main, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(main);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loops[0].Post(static s =>
        {
            var (run, token, completion) = ((Func<CancellationToken, Task>, CancellationToken, TaskCompletionSource))s!;
            CallbackGuard.Forget(RunMainAsync(run, token, completion), "event loop main task");
        }, (main, cancellationToken, done));
        return done.Task;
    }

    private static async Task RunMainAsync(Func<CancellationToken, Task> main, CancellationToken token, TaskCompletionSource done)
    {
        try
        {
            await main(token);
            done.TrySetResult();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            done.TrySetCanceled(token);
        }
        catch (Exception ex)
        {
            done.TrySetException(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _root.Cancel();
        try
        {
            // Tasks that ignore cancellation must not keep the loops (and the process) alive.
            await _root.WhenAllAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException) { }
        foreach (var loop in _loops) loop.Stop();
        await Task.WhenAll(_loops.Select(l => l.Stopped)).ConfigureAwait(false);
    }
}
