using Hyper.Core.Concurrency;

namespace Hyper.Core.Tests.Support;

/// <summary>A task scope on the thread pool, enough for the driver and stream tests (the backends have the real ones).</summary>
internal sealed class TestTaskScope : ITaskScope
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly List<Task> _tasks = [];

    public CancellationToken Token => _cancel.Token;

    public void Spawn(Func<CancellationToken, Task> work)
    {
        lock (_tasks) _tasks.Add(Task.Run(() => work(_cancel.Token)));
    }

    public ITaskScope CreateChild() => new TestTaskScope();

    public void Cancel() => _cancel.Cancel();

    public Task WhenAllAsync()
    {
        lock (_tasks) return Task.WhenAll(_tasks.ToArray());
    }

    public async ValueTask CloseAsync() => await WhenAllAsync();
}
