namespace Hyper.Core.Logging;

/// <summary>Receives one entry per completed request; the stream layer calls it after the response ends or the client leaves.</summary>
public interface IAccessLog
{
    /// <summary>False when access logging is off, so the stream layer can skip building entries.</summary>
    bool IsEnabled { get; }

    void Log(AccessLogEntry entry);
}
