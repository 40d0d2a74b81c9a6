namespace Hyper.Core.Logging;

/// <summary>The access log when none is configured: <see cref="IsEnabled"/> is false, so no entry is ever built.</summary>
public sealed class DisabledAccessLog : IAccessLog
{
    public static readonly DisabledAccessLog Instance = new();

    private DisabledAccessLog() { }

    public bool IsEnabled => false;

    public void Log(AccessLogEntry entry) { }
}
