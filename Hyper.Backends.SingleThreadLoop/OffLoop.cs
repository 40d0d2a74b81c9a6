namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// asyncio's <c>run_in_executor</c>: runs blocking work (file IO, a synchronous driver, heavy CPU) on the .NET
/// thread pool so the loop keeps serving its other connections, and resumes the caller on its loop afterwards.
/// Awaited from a loop thread, the continuation comes back through the loop's SynchronizationContext; awaited
/// from elsewhere it behaves like <c>Task.Run</c>.
/// </summary>
public static class OffLoop
{
    /// <summary>Runs <paramref name="work"/> on the thread pool and returns its result on the calling loop.</summary>
    public static async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        // Deliberately no ConfigureAwait(false): resuming on the captured loop context is the point.
        return await Task.Run(work, cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> on the thread pool and returns on the calling loop when it is done.</summary>
    public static async Task RunAsync(Action work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await Task.Run(work, cancellationToken);
    }

    /// <summary>True when the calling thread is one of the single-thread-loop backend's loops.</summary>
    public static bool IsOnLoop => EventLoop.Current is not null;
}
