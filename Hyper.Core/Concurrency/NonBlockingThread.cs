namespace Hyper.Core.Concurrency;

/// <summary>
/// Marks the threads that must never block: an event loop serves every connection it owns on one thread, so code
/// that waits on it for IO (a synchronous read of a request body, say) waits for data only that same thread can
/// deliver, and the loop and all its connections stop for good. Backends that run such threads mark them; code
/// that would block asks first and fails clearly instead of deadlocking.
/// </summary>
public static class NonBlockingThread
{
    [ThreadStatic] private static bool t_isCurrent;

    /// <summary>True on a thread a backend has marked (the single-thread-loop backend's loops).</summary>
    public static bool IsCurrent => t_isCurrent;

    /// <summary>Marks or unmarks the calling thread; a backend calls this when its loop thread starts and ends.</summary>
    public static void MarkCurrent(bool mustNotBlock) => t_isCurrent = mustNotBlock;
}
