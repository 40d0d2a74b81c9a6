using System.Buffers;
using System.Net;
using Hyper.Core.Application;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Hosting;
using Hyper.Core.Protocols;
using Hyper.Core.WebSockets;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Streams;

/// <summary>
/// One WebSocket session seen by the application: runs the ASGI <c>websocket</c> scope over a stream whose bytes are
/// the WebSocket's own — HTTP/1.1 after its 101 (the connection becomes the stream's tunnel), HTTP/2 as an RFC 8441
/// CONNECT stream whose DATA frames carry them. Either way the protocol hands the bytes over as the stream's body and
/// takes the stream's body as they are, so this class is the same for both.
/// <para>
/// Theory of operation. Two flows share the session. The <em>session loop</em> (<see cref="RunAsync"/>, the stream's
/// own flow: inline on HTTP/1.1, a task on HTTP/2) reads: it feeds received bytes to the sans-IO
/// <see cref="WebSocketConnection"/>, queues the messages for the application's <c>receive</c>, writes what the
/// protocol owes the peer (pongs, close replies, keep-alive pings), runs the timers and ends the transport when the
/// WebSocket is closed. The <em>application</em> runs as a task of its own and writes through <c>send</c>. Both use the
/// WebSocket connection and the output buffer only while holding <see cref="_turn"/>, which is held across the submit
/// of what they wrote, so frames leave whole and in order. The loop never holds it while waiting for input.
/// </para>
/// <para>
/// Backpressure. Reading stops while the application has more than <see cref="ReceiveQueueLimit"/> bytes of messages
/// it has not taken (HTTP/1.1: nobody reads the socket, TCP's window closes; HTTP/2: the stream's window is not
/// reopened). A send waits for each <c>websocket_send_buffer</c> part to be flushed or taken into the HTTP/2 window.
/// </para>
/// </summary>
internal sealed partial class WebSocketStream : IStreamHandler
{
    /// <summary>Received message bytes the application has not taken, past which the session stops reading.</summary>
    internal const int ReceiveQueueLimit = 64 * 1024;

    private static readonly HeaderField[] ErrorHeaders =
    [
        new("content-type"u8.ToArray(), "text/plain; charset=utf-8"u8.ToArray()),
    ];

    private readonly IStreamConnection _connection;
    private readonly RequestHead _head;
    private readonly WebSocketLimits _limits;

    // Guards what the connection's reader, the application, the timer and the session loop share: received chunks,
    // the flags below, the application's message queue and the two waiters.
    private readonly Lock _sync = new();
    private readonly Queue<byte[]> _input = new();
    // Messages for the application's receive, with the bytes each counts against ReceiveQueueLimit.
    private readonly Queue<(AsgiMessage Message, long Size)> _messages = new();
    private long _queuedBytes;
    private bool _inputEnded;
    private bool _aborted;
    private bool _completed;
    private bool _wakeRequested;
    private bool _shutdownRequested;
    private bool _appFinished;
    private bool _appFailed;
    private WebSocketDisconnect? _disconnect;
    private TaskCompletionSource? _messageWaiter;
    private TaskCompletionSource? _sessionWaiter;

    // Whose turn it is to use the WebSocket connection and the output (see the class comment).
    private readonly SemaphoreSlim _turn = new(1, 1);
    private ArrayBufferWriter<byte> _output = new(256);
    private WebSocketHandshakeResult? _handshake;
    private WebSocketScope? _scope;
    private WebSocketConnection? _socket;
    private WebSocketHttpResponseStart? _denial;
    private volatile WebSocketSessionState _state;
    private bool _connectDelivered;
    private volatile bool _tunnelStarted;
    private bool _appClosed;
    private ITimer? _timer;
    private long _armedDeadline = long.MaxValue;

    public WebSocketStream(IStreamConnection connection, long id, RequestHead head)
    {
        _connection = connection;
        _head = head;
        _limits = connection.Server.Options.WebSockets;
        Id = id;
        Receive = ReceiveAsync;
        Send = SendAsync;
    }

    public long Id { get; }
    public AsgiReceive Receive { get; }
    public AsgiSend Send { get; }

    public bool ResponseStarted => _state is WebSocketSessionState.Denying or WebSocketSessionState.Open || _state == WebSocketSessionState.Done && _socket is not null;

    public bool IsOver
    {
        get
        {
            lock (_sync) return _aborted || _state == WebSocketSessionState.Done;
        }
    }

    public bool IsAborted
    {
        get
        {
            lock (_sync) return _aborted;
        }
    }

    public bool HasInput
    {
        get
        {
            lock (_sync) return _input.Count > 0 || _inputEnded || _wakeRequested || _aborted;
        }
    }

    // ---- protocol side (called by the connection, which holds itself: record and wake, never call back) ----

    public void OnBody(ReadOnlySequence<byte> data)
    {
        if (data.IsEmpty) return;
        var chunk = data.ToArray();
        lock (_sync)
        {
            if (!_aborted && _state != WebSocketSessionState.Done) _input.Enqueue(chunk);
        }
    }

    public void OnBodyEnded(IReadOnlyList<HeaderField>? trailers)
    {
        // HTTP/1.1 reports the end of the handshake request's (empty) body at once: the tunnel's input has not begun.
        // An HTTP/2 CONNECT stream's body is the tunnel (the head says it has one), and its end is the peer's.
        if (!_head.HasBody && !_tunnelStarted) return;
        lock (_sync) _inputEnded = true;
    }

    public void OnAborted()
    {
        TaskCompletionSource? waiter;
        lock (_sync)
        {
            if (_completed) return;
            _aborted = true;
            waiter = TakeSessionWaiter();
        }
        waiter?.TrySetResult();
    }

    public void OnCompleted()
    {
        lock (_sync) _completed = true;
    }

    // ---- the stream's work ----

    public async Task RunAsync()
    {
        var server = _connection.Server;
        StartAccessLog();
        _handshake = _head.Protocol is null
            ? WebSocketHandshake.ValidateUpgrade(_head, _limits)
            : WebSocketHandshake.ValidateExtendedConnect(_head, _head.Protocol, _limits);
        _scope = BuildScope(_handshake.Subprotocols);
        if (!_handshake.IsAccepted)
        {
            server.Logger.LogInformation("Refused a WebSocket handshake from {Remote}: {Status} {Reason}", _connection.Info.Remote, _handshake.Status, _handshake.Error);
            await _turn.WaitAsync();
            try
            {
                await RespondAsync(_handshake.Status, _handshake.Error ?? "", _handshake.ResponseHeaders);
            }
            finally
            {
                _turn.Release();
            }
            LogAccess();
            return;
        }

        if (!server.WebSocketAdmission.TryEnter())
        {
            // websocket_max_connections: refused before the upgrade, so the client can retry later (RFC 9110 §15.6.4).
            server.Logger.LogWarning("Refused a WebSocket from {Remote}: {Open} open, websocket_max_connections reached", _connection.Info.Remote,
                server.WebSocketAdmission.Open);
            await _turn.WaitAsync();
            try
            {
                await RespondAsync(503, "Too many WebSockets", []);
            }
            finally
            {
                _turn.Release();
            }
            return;
        }
        try
        {
            await RunAdmittedAsync(server);
        }
        finally
        {
            server.WebSocketAdmission.Leave();
        }
    }

    private async Task RunAdmittedAsync(ServerContext server)
    {
        var application = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (CallbackGuard.Register(server.Stopping, static s => ((WebSocketStream)s!).OnShutdown(), this))
        {
            _connection.Scope.Spawn(_ => RunApplicationAsync(application));
            try
            {
                await RunSessionAsync();
            }
            catch (Exception ex) when (ex is ClientDisconnectedException or IOException or InvalidOperationException)
            {
                server.Logger.LogDebug(ex, "WebSocket session {Stream} from {Remote} ended with an error", Id, _connection.Info.Remote);
                EndSession(WebSocketCloseStatus.AbnormalClosure, "");
            }
            finally
            {
                _timer?.Dispose();
            }
        }
        // The application has its websocket.disconnect; the stream is over when it has returned.
        await application.Task;
        await _turn.WaitAsync();
        _socket?.Dispose();
        _turn.Release();
        LogAccess();
    }

    private async Task RunApplicationAsync(TaskCompletionSource done)
    {
        var server = _connection.Server;
        try
        {
            await server.App(_scope!, Receive, Send);
        }
        catch (ClientDisconnectedException)
        {
            // The application noticed the client left and gave up: nothing to report.
        }
        catch (Exception ex)
        {
            server.Logger.LogError(ex, "Error in ASGI application for WebSocket {Path}", _scope!.Path);
            lock (_sync) _appFailed = true;
        }
        finally
        {
            lock (_sync) _appFinished = true;
            // Completed first: the stream's end waits on it, whatever waking the session loop meets.
            done.TrySetResult();
            Wake();
        }
    }

    private void OnShutdown()
    {
        lock (_sync) _shutdownRequested = true;
        Wake();
    }

    /// <summary>Something for the session loop to look at (a timer, the application, shutdown): wake it wherever it waits.</summary>
    private void Wake()
    {
        TaskCompletionSource? waiter;
        lock (_sync)
        {
            _wakeRequested = true;
            waiter = TakeSessionWaiter();
        }
        waiter?.TrySetResult();
        _connection.Wake(this);
    }

    /// <summary>Under <see cref="_sync"/>.</summary>
    private TaskCompletionSource? TakeSessionWaiter()
    {
        var waiter = _sessionWaiter;
        _sessionWaiter = null;
        return waiter;
    }

    /// <summary>
    /// The session is over: the application's next <c>receive</c> (after the messages still queued) is
    /// <c>websocket.disconnect</c> with <paramref name="code"/>.
    /// </summary>
    private void EndSession(int code, string reason)
    {
        TaskCompletionSource? waiter;
        lock (_sync)
        {
            _state = WebSocketSessionState.Done;
            _disconnect ??= new WebSocketDisconnect(code, reason);
            waiter = _messageWaiter;
            _messageWaiter = null;
            _input.Clear();
        }
        waiter?.TrySetResult();
    }

    /// <summary>An ordinary HTTP answer to the handshake (a refusal, 403, 500). Caller holds <see cref="_turn"/>.</summary>
    private async ValueTask RespondAsync(int status, string text, IReadOnlyList<HeaderField> headers)
    {
        var fields = new List<HeaderField>(headers.Count + 1);
        fields.AddRange(headers);
        fields.AddRange(ErrorHeaders);
        var body = System.Text.Encoding.UTF8.GetBytes(text);
        RecordResponse(status, fields);
        RecordSent(body.Length);
        try
        {
            await _connection.SubmitAsync(this, StreamCommand.CompleteResponse(status, fields, body));
        }
        catch (ClientDisconnectedException) { }
        EndSession(WebSocketCloseStatus.AbnormalClosure, "");
    }

    private WebSocketScope BuildScope(IReadOnlyList<string> subprotocols)
    {
        var server = _connection.Server;
        var info = _connection.Info;
        var lifespanState = server.LifespanState;
        var extensions = new Dictionary<string, object?>
        {
            // The denial response extension: the application may answer the handshake with an HTTP response.
            ["websocket.http.response"] = new Dictionary<string, object?>(),
        };
        if (info.Tls is { } tls) extensions[TlsScopeExtension.Key] = new TlsScopeExtension(tls);
        return new WebSocketScope
        {
            HttpVersion = _head.HttpVersion,
            Scheme = info.IsTls ? "wss" : "ws",
            Path = Http.PathDecoder.Decode(_head.RawPath.Span),
            RawPath = _head.RawPath,
            QueryString = _head.QueryString,
            RootPath = server.Options.RootPath,
            Headers = _head.Headers,
            Subprotocols = subprotocols,
            Client = info.Remote as IPEndPoint,
            Server = info.Local as IPEndPoint,
            State = lifespanState.Count == 0 ? null! : new Dictionary<string, object?>(lifespanState),
            Extensions = extensions,
        };
    }

    private long Now => MonotonicTime.Now(_connection.Server.Time);
}
