namespace Hyper.Core.Concurrency;

/// <summary>
/// Where Core starts concurrent work. Core never creates threads or calls <c>Task.Run</c>: it asks the
/// backend's scope, so the thread pool, a single event loop or a structured task group decides where the
/// work runs and who owns it.
/// </summary>
public interface ITaskScope
{
    /// <summary>Cancelled when the scope is cancelled; work started in the scope should observe it.</summary>
    CancellationToken Token { get; }

    /// <summary>Starts <paramref name="work"/> as a child of this scope.</summary>
    void Spawn(Func<CancellationToken, Task> work);

    /// <summary>A scope nested in this one; cancelling this one cancels it.</summary>
    ITaskScope CreateChild();

    /// <summary>Cancels the scope and every child scope.</summary>
    void Cancel();

    /// <summary>Completes when every task spawned in this scope (and its children) has finished.</summary>
    Task WhenAllAsync();

    /// <summary>
    /// Ends the scope: waits for every task in it (and its children) to finish, then detaches it from its
    /// parent. The owner of a child scope calls this exactly once, after cancelling it if it must not wait.
    /// </summary>
    ValueTask CloseAsync();
}
