using System.Buffers;
using System.Net;
using Hyper.Core.Application;
using Hyper.Core.Logging;
using Hyper.Core.Protocols;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Streams;

/// <summary>
/// One HTTP request seen by the application: maps protocol events to ASGI messages and ASGI messages to
/// protocol commands, enforces their order, and applies ASGI's error rules (a failure before
/// <c>http.response.start</c> is answered 500; after it the connection is aborted; <c>send</c> after the client
/// has gone raises <see cref="ClientDisconnectedException"/>). It reaches its connection only through
/// <see cref="IStreamConnection"/>: the connection owns the protocol and applies the commands this stream hands it.
/// </summary>
internal sealed partial class HttpStream : IStreamHandler
{
    private static readonly HeaderField[] ErrorHeaders =
    [
        new("content-type"u8.ToArray(), "text/plain; charset=utf-8"u8.ToArray()),
    ];

    // After an application failure the connection's state is suspect (Hypercorn closes too).
    private static readonly HeaderField[] FailureHeaders =
    [
        new("content-type"u8.ToArray(), "text/plain; charset=utf-8"u8.ToArray()),
        new("connection"u8.ToArray(), "close"u8.ToArray()),
    ];

    private readonly IStreamConnection _connection;
    // Guards the body queue: the connection's reader fills it while the application's receive (another task on a
    // multiplexed connection) empties it.
    private readonly Lock _sync = new();
    private RequestHead _head;
    private Queue<byte[]>? _bodyChunks;
    private long _startTimestamp;
    private DateTimeOffset _startTime;
    private HttpScope? _scope;
    private bool _bodyEnded;
    private bool _bodyWanted;
    private bool _aborted;
    private bool _completed;
    private bool _appFinished;
    private HttpResponseState _state;
    private HttpResponseStart? _start;
    private int? _status;
    private IReadOnlyList<HeaderField> _sentHeaders = [];
    private long _bodyBytes;
    private Concurrency.RequestTaskGroup? _taskGroup;
    private bool _timed;
    private bool _countedActive;

    public HttpStream(IStreamConnection connection, long id, RequestHead head)
    {
        _connection = connection;
        Receive = ReceiveAsync;
        Send = SendAsync;
        Start(id, head);
    }

    /// <summary>
    /// Serves the next request of the connection with this object (Kestrel reuses its request objects the
    /// same way): the receive/send pair and the body queue are made once per connection, not per request.
    /// Only a stream whose application has fully finished is reused; an application must not call receive or
    /// send after it has returned (ASGI: the server may ignore or reject such calls).
    /// </summary>
    public bool TryReuse(long id, RequestHead head)
    {
        if (!_appFinished) return false;
        _scope = null;
        _bodyEnded = _bodyWanted = _aborted = _completed = _appFinished = _bodyDelivered = false;
        _state = HttpResponseState.Initial;
        _start = null;
        _status = null;
        _sentHeaders = [];
        _bodyBytes = 0;
        _taskGroup = null;
        lock (_sync) _bodyChunks?.Clear();
        Start(id, head);
        return true;
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_head))]
    private void Start(long id, RequestHead head)
    {
        Id = id;
        _head = head;
        var server = _connection.Server;
        // The clock is read only when someone wants the time: the access log or a listener on the duration histogram.
        _timed = server.AccessLog.IsEnabled || server.Metrics.TimesRequests;
        if (_timed)
        {
            _startTimestamp = server.Time.GetTimestamp();
            _startTime = server.Time.GetUtcNow();
        }
    }

    public long Id { get; private set; }

    /// <summary>The connection this request came on (the scope's <c>tls</c> extension reads its handshake).</summary>
    internal ConnectionInfo Connection => _connection.Info;

    /// <summary>The request's task group, created when the application first asks for it.</summary>
    internal Concurrency.RequestTaskGroup TaskGroup => _taskGroup ??= new Concurrency.RequestTaskGroup(_connection.Scope);
    public bool ResponseStarted => _state >= HttpResponseState.Streaming;
    public bool IsOver => _aborted || _state == HttpResponseState.Done;
    public bool IsAborted => _aborted;

    public bool HasInput
    {
        get
        {
            lock (_sync) return BufferedChunks > 0 || _bodyEnded && !_bodyDelivered;
        }
    }
    public AsgiReceive Receive { get; }
    public AsgiSend Send { get; }

    // ---- protocol side (called by the connection, which holds itself; the connection wakes a waiting receive) ----

    public void OnBody(ReadOnlySequence<byte> data)
    {
        if (_appFinished || data.IsEmpty) return;
        var chunk = data.ToArray();
        lock (_sync) (_bodyChunks ??= new Queue<byte[]>()).Enqueue(chunk);
    }

    public void OnBodyEnded(IReadOnlyList<HeaderField>? trailers) => _bodyEnded = true;

    public void OnAborted()
    {
        if (_completed) return;
        _aborted = true;
        // Tasks the application started for this request learn at once that the client has gone.
        _taskGroup?.CancelEarly();
    }

    public void OnCompleted() => _completed = true;

    // ---- application side ----

    public async Task RunAsync()
    {
        var server = _connection.Server;
        server.CountRequest();
        _countedActive = server.Metrics.RequestStarted(_head.HttpVersion);
        _scope = BuildScope();
        if (!IsServerNameAllowed())
        {
            await SendErrorAsync(404, "Not Found", ErrorHeaders);
            LogAccess();
            return;
        }
        try
        {
            await server.App(_scope, Receive, Send);
            if (_state != HttpResponseState.Done && !_aborted)
            {
                server.Logger.LogError("Application returned without completing the response to {Method} {Path}", _head.Method, _scope.Path);
                await FailAsync();
            }
        }
        catch (ClientDisconnectedException)
        {
            // The application noticed the client left and gave up: nothing to report.
        }
        catch (Exception ex)
        {
            server.Logger.LogError(ex, "Error in ASGI application for {Method} {Path}", _head.Method, _scope.Path);
            await FailAsync();
        }
        finally
        {
            _appFinished = true;
            lock (_sync) _bodyChunks?.Clear();
        }
        // The request is over only when the tasks it started are (docs/architecture.md, Backends, structured concurrency).
        if (_taskGroup is not null)
        {
            try
            {
                await _taskGroup.CloseAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A task the application started for this request failed: its request's error, not the connection's.
                server.Logger.LogError(ex, "A task in the request's task group failed for {Method} {Path}", _head.Method, _scope.Path);
            }
            catch (OperationCanceledException) { }
        }
        LogAccess();
    }

    /// <summary>ASGI: before the response started, answer 500; after, abort the connection.</summary>
    private async ValueTask FailAsync()
    {
        if (_aborted) return;
        if (_state < HttpResponseState.Streaming)
        {
            await SendErrorAsync(500, "Internal Server Error", FailureHeaders);
            return;
        }
        await _connection.SubmitAsync(this, StreamCommand.Abort());
    }

    private async ValueTask SendErrorAsync(int status, string text, HeaderField[] errorHeaders)
    {
        if (_aborted) return;
        var body = System.Text.Encoding.UTF8.GetBytes(text);
        _status = status;
        _sentHeaders = errorHeaders;
        _bodyBytes = body.Length;
        _state = HttpResponseState.Done;
        try
        {
            await _connection.SubmitAsync(this, StreamCommand.CompleteResponse(status, errorHeaders, body));
        }
        catch (ClientDisconnectedException) { }
    }

    private bool IsServerNameAllowed()
    {
        var names = _connection.Server.ServerNames;
        if (names.Length == 0) return true;
        var authority = _head.Authority.Span;
        foreach (var name in names)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(authority, name)) return true;
        }
        return false;
    }

    private HttpScope BuildScope()
    {
        var server = _connection.Server;
        var info = _connection.Info;
        var lifespanState = server.LifespanState;
        return new HttpScope
        {
            HttpVersion = _head.HttpVersion,
            Method = _head.Method,
            Scheme = info.Scheme,
            Path = Http.PathDecoder.Decode(_head.RawPath.Span),
            RawPath = _head.RawPath,
            QueryString = _head.QueryString,
            RootPath = server.Options.RootPath,
            Headers = _head.Headers,
            Client = info.Remote as IPEndPoint,
            Server = info.Local as IPEndPoint,
            // Left unset (created on first use) when the lifespan put nothing in its state.
            State = lifespanState.Count == 0 ? null! : new Dictionary<string, object?>(lifespanState),
            Extensions = new HttpScopeExtensions(this),
        };
    }

    /// <summary>The request is over: its access line and its measurements.</summary>
    private void LogAccess()
    {
        var server = _connection.Server;
        TimeSpan? duration = _timed ? server.Time.GetElapsedTime(_startTimestamp) : null;
        server.Metrics.RequestEnded(_countedActive, _head.Method, _head.HttpVersion, _status, duration);
        _countedActive = false;
        var log = server.AccessLog;
        if (!log.IsEnabled || _scope is null) return;
        log.Log(new AccessLogEntry(_scope, _status, _sentHeaders, _bodyBytes, duration ?? TimeSpan.Zero, _startTime));
    }
}
