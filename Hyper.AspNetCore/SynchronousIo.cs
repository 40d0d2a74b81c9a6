using Hyper.Core.Concurrency;
using Microsoft.AspNetCore.Http.Features;

namespace Hyper.AspNetCore;

/// <summary>
/// Synchronous body IO is refused unless the application allows it (<c>IHttpBodyControlFeature</c>), with Kestrel's
/// message: it blocks a thread-pool thread. On an event loop's thread (the single-thread-loop backend) it is refused
/// even when allowed: the loop would block waiting for data that only the loop itself can read, and every
/// connection on it would stop with this one.
/// </summary>
internal static class SynchronousIo
{
    public static void ThrowIfDisallowed(IHttpBodyControlFeature bodyControl, string asyncAlternative)
    {
        if (!bodyControl.AllowSynchronousIO)
            throw new InvalidOperationException($"Synchronous operations are disallowed. Call {asyncAlternative} or set AllowSynchronousIO to true instead.");
        if (NonBlockingThread.IsCurrent)
            throw new InvalidOperationException(
                $"Synchronous operations cannot run on the single-thread-loop backend, even with AllowSynchronousIO: they would block the event loop that serves this request. Call {asyncAlternative}, or serve the application with the thread-pool or structured worker class.");
    }
}
