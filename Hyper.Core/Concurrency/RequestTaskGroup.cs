namespace Hyper.Core.Concurrency;

/// <summary>
/// The <c>hyper.task_group</c> scope extension: lets an application start tasks that belong to its request
/// (trio's nursery, bound to the request). When the request ends or the client goes away the group is
/// cancelled, and the request is not over until every task in it has finished. The child scope is only
/// created on first use, so requests that never ask for it cost nothing.
/// </summary>
public sealed class RequestTaskGroup
{
    /// <summary>The extension key in <c>scope.Extensions</c>.</summary>
    public const string ExtensionKey = "hyper.task_group";

    private readonly ITaskScope _parent;
    private ITaskScope? _scope;
    private bool _closed;

    public RequestTaskGroup(ITaskScope parent) => _parent = parent;

    /// <summary>Cancelled when the request ends or the client disconnects.</summary>
    public CancellationToken Token => EnsureScope().Token;

    /// <summary>Starts <paramref name="work"/> in the request's group.</summary>
    public void Spawn(Func<CancellationToken, Task> work)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        EnsureScope().Spawn(work);
    }

    /// <summary>Cancels the group and waits for its tasks: the request's end. Called once by the stream layer.</summary>
    public async ValueTask CloseAsync()
    {
        _closed = true;
        if (_scope is not { } scope) return;
        scope.Cancel();
        await scope.CloseAsync();
    }

    /// <summary>The client went away: cancel what runs now, without waiting (the stream layer closes later).</summary>
    public void CancelEarly() => _scope?.Cancel();

    private ITaskScope EnsureScope() => _scope ??= _parent.CreateChild();
}
