using Hyper.Core.Concurrency;

namespace Hyper.Transport.Sockets.Tests.Support;

/// <summary>
/// An <see cref="ITaskScope"/> that runs work on the thread pool and records what its owner did to it, so the
/// tests can check that a connection spawns its loops here, cancels the scope on abort and closes it once.
/// </summary>
internal sealed class RecordingTaskScope : ITaskScope
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<Task> _tasks = [];
    private int _closeCalls;

    public CancellationToken Token => _cancellation.Token;
    public int Spawned { get { lock (_tasks) return _tasks.Count; } }
    public int CloseCalls => Volatile.Read(ref _closeCalls);
    public bool IsCancelled => _cancellation.IsCancellationRequested;

    public void Spawn(Func<CancellationToken, Task> work)
    {
        var token = Token;
        lock (_tasks) _tasks.Add(Task.Run(() => work(token), CancellationToken.None));
    }

    public ITaskScope CreateChild() => throw new NotSupportedException("A connection's I/O scope has no children.");

    public void Cancel() => _cancellation.Cancel();

    public Task WhenAllAsync()
    {
        lock (_tasks) return Task.WhenAll(_tasks);
    }

    public async ValueTask CloseAsync()
    {
        Interlocked.Increment(ref _closeCalls);
        await WhenAllAsync().ConfigureAwait(false);
    }
}
