using Hyper.Core.Application;
using Hyper.Core.Logging;

namespace Hyper.Core.Streams;

// The access log's line for a WebSocket session: one line when the session is over, in the same format as an HTTP
// request's, with the handshake's answer as the status (101 on HTTP/1.1, 200 on HTTP/2, or the refusal or denial
// status), the bytes sent after the head (frames, or the refusal's body) and the session's whole duration.
internal sealed partial class WebSocketStream
{
    private long _logStartTimestamp;
    private DateTimeOffset _logStartTime;
    private int? _logStatus;
    private IReadOnlyList<HeaderField> _logHeaders = [];
    private long _logBodyBytes;

    private void StartAccessLog()
    {
        var server = _connection.Server;
        if (!server.AccessLog.IsEnabled) return;
        _logStartTimestamp = server.Time.GetTimestamp();
        _logStartTime = server.Time.GetUtcNow();
    }

    /// <summary>The head the handshake was answered with.</summary>
    private void RecordResponse(int status, IReadOnlyList<HeaderField> headers)
    {
        _logStatus = status;
        _logHeaders = headers;
    }

    private void RecordSent(long bytes) => _logBodyBytes += bytes;

    private void LogAccess()
    {
        var server = _connection.Server;
        var log = server.AccessLog;
        if (!log.IsEnabled) return;
        var info = _connection.Info;
        // The access log's entry is shaped for HTTP: the session is the request that opened it (GET over HTTP/1.1,
        // CONNECT over HTTP/2), with the WebSocket's scheme.
        var scope = new HttpScope
        {
            HttpVersion = _head.HttpVersion,
            Method = _head.Method,
            Scheme = info.IsTls ? "wss" : "ws",
            Path = _scope?.Path ?? Http.PathDecoder.Decode(_head.RawPath.Span),
            RawPath = _head.RawPath,
            QueryString = _head.QueryString,
            RootPath = server.Options.RootPath,
            Headers = _head.Headers,
            Client = info.Remote as System.Net.IPEndPoint,
            Server = info.Local as System.Net.IPEndPoint,
        };
        log.Log(new AccessLogEntry(scope, _logStatus, _logHeaders, _logBodyBytes, server.Time.GetElapsedTime(_logStartTimestamp), _logStartTime));
    }
}
