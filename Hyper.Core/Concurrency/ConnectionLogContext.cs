namespace Hyper.Core.Concurrency;

/// <summary>
/// Which connection the code running now belongs to, for the logs of failures that surface far from it (a timer
/// callback, a forgotten task's continuation). Set once per connection by the host; it flows with the execution
/// context into everything the connection starts, timers and continuations included.
/// </summary>
internal static class ConnectionLogContext
{
    private static readonly AsyncLocal<string?> s_current = new();

    /// <summary>The current connection (e.g. <c>connection from 127.0.0.1:50412</c>), or null outside one.</summary>
    public static string? Current => s_current.Value;

    /// <summary>Marks the rest of the calling async flow as serving <paramref name="description"/>.</summary>
    public static void Enter(string description) => s_current.Value = description;
}
