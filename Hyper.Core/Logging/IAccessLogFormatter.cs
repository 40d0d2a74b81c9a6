using System.Text;

namespace Hyper.Core.Logging;

/// <summary>Renders one access-log entry as one line, without the line terminator.</summary>
internal interface IAccessLogFormatter
{
    void Format(AccessLogEntry entry, StringBuilder line);
}
