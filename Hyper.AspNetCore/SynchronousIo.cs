using Microsoft.AspNetCore.Http.Features;

namespace Hyper.AspNetCore;

/// <summary>
/// Synchronous body IO is refused unless the application allows it (<c>IHttpBodyControlFeature</c>), with Kestrel's
/// message: it blocks a thread-pool thread, and on the single-thread-loop backend the loop every connection of it runs on.
/// </summary>
internal static class SynchronousIo
{
    public static void ThrowIfDisallowed(IHttpBodyControlFeature bodyControl, string asyncAlternative)
    {
        if (!bodyControl.AllowSynchronousIO)
            throw new InvalidOperationException($"Synchronous operations are disallowed. Call {asyncAlternative} or set AllowSynchronousIO to true instead.");
    }
}
