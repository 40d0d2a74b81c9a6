using System.Buffers;
using Hyper.Core.Application;
using Hyper.Core.Protocols;
using Hyper.Core.Streams;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Hyper.AspNetCore;

/// <summary>
/// One ASP.NET Core request as a kind of Hyper stream (docs/aspnetcore.md). The object is the request's feature
/// collection and implements the features itself, as Kestrel's request object does: the request and response, their
/// bodies (a <see cref="System.IO.Pipelines.PipeReader"/> fed by the protocol, a
/// <see cref="System.IO.Pipelines.PipeWriter"/> whose flushes become stream commands), the connection, the request's
/// lifetime, TLS, trailers and reset. It reaches its connection only through <see cref="IStreamConnection"/>; it never
/// goes through the ASGI message layer.
/// </summary>
internal sealed partial class AspNetCoreStream : IStreamHandler
{
    private readonly IStreamConnection _connection;
    private readonly AspNetCoreStreamFactory _factory;
    private readonly RequestHead _head;
    // Guards the lazily made RequestAborted source against OnAborted, which the connection calls from its reader.
    private readonly Lock _sync = new();
    private CancellationTokenSource? _abortedSource;
    private volatile bool _aborted;
    private volatile bool _completed;
    // New request input (body bytes, its end) the application has not taken yet; see HasInput.
    private volatile bool _news;
    private Task? _disconnectWatch;

    public AspNetCoreStream(IStreamConnection connection, AspNetCoreStreamFactory factory, long id, RequestHead head)
    {
        _connection = connection;
        _factory = factory;
        _head = head;
        Id = id;
        // An extended CONNECT's body is the tunnel it opens (RFC 8441 §5): the body size limit does not apply to it.
        _requestBody = new RequestBodyReader(this, head.Protocol is null ? factory.MaxRequestBodySize : null, isTunnel: head.Protocol is not null);
        _responseBody = new ResponseBodyWriter(this);
        InitializeRequest();
    }

    public long Id { get; }
    public bool ResponseStarted => _responseState != ResponseState.NotStarted;
    public bool IsOver => _aborted || _completed || _responseState == ResponseState.Ended;
    public bool IsAborted => _aborted;

    /// <summary>
    /// True while request input has arrived that the application has not taken: a wait for input then returns at
    /// once. The body reader clears it when it takes what is there.
    /// </summary>
    public bool HasInput => _news;

    internal IStreamConnection Connection => _connection;

    // ---- protocol side: called by the connection while it holds itself; record and return ----

    public void OnBody(ReadOnlySequence<byte> data)
    {
        if (data.IsEmpty || _applicationFinished) return;
        Input.Append(data);
        _news = true;
    }

    public void OnBodyEnded(IReadOnlyList<HeaderField>? trailers)
    {
        if (_upgradedInput is { } tunnel)
        {
            // HTTP/1.1 after a 101: the client closed its side of the connection. The application reads the end
            // (0), and the request is aborted as on Kestrel, where the connection's end aborts an upgraded request.
            tunnel.End();
            _news = true;
            OnAborted();
            return;
        }
        if (trailers is { Count: > 0 }) SetRequestTrailers(trailers);
        _requestTrailersAvailable = true;
        _requestBody.End();
        _news = true;
    }

    public void OnAborted()
    {
        if (_completed || _aborted) return;
        _aborted = true;
        Input.Abort();
        CancellationTokenSource? source;
        lock (_sync) source = _abortedSource;
        if (source is null) return;
        // Cancelling runs the application's callbacks; they must not run here, with the connection held (they may
        // write, which needs the connection). The connection's scope runs them a moment later.
        _connection.Scope.Spawn(async _ =>
        {
            await Task.Yield();
            source.Cancel();
        });
    }

    public void OnCompleted() => _completed = true;

    // ---- the request's work ----

    public async Task RunAsync()
    {
        // One request at a time (HTTP/1.1): nobody reads the connection unless this stream does, so a client that leaves
        // while the application works would go unnoticed. With no body to read, a watch reads on the stream's behalf
        // now; with a body, it starts once the application has read it all (RequestBodyReader).
        if (!_connection.IsMultiplexed && !_head.HasBody) StartDisconnectWatch();
        try
        {
            await _factory.Application.RunAsync(this);
        }
        catch (Exception ex)
        {
            // FinishAsync reports what the application did; only a failure of the adapter itself gets here.
            _factory.Logger.LogError(ex, "Request {Method} {Path} failed in the server", _head.Method, _path);
            if (!IsOver) await SubmitAsync(StreamCommand.Abort());
        }
        finally
        {
            _applicationFinished = true;
        }
        if (_disconnectWatch is { } watch)
        {
            // The watch reads on the connection: it must be over before the connection reads for the next request.
            await watch;
        }
        _responseBody.Release();
        _requestBody.Release();
        _upgradedInput?.Release();
    }

    private volatile bool _applicationFinished;

    /// <summary>Starts the HTTP/1.1 disconnect watch (once): it reads until the response is over or the client leaves.</summary>
    internal void StartDisconnectWatch()
    {
        // After a 101 the connection is the application's tunnel: only its reads read it.
        if (_connection.IsMultiplexed || _disconnectWatch is not null || IsOver || _upgradedInput is not null) return;
        _disconnectWatch = WatchForDisconnectAsync();
    }

    private async Task WatchForDisconnectAsync()
    {
        while (!IsOver && _upgradedInput is null)
        {
            // The body's end (and, with no body, its announcement) is all the news left for this request; the
            // application takes the body from the reader's pipe, not from here.
            _news = false;
            bool more;
            try
            {
                more = await _connection.WaitForInputAsync(this);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
            {
                more = false;
            }
            if (!more)
            {
                if (!IsOver) MarkAborted();
                return;
            }
        }
    }

    /// <summary>Hands a command to the connection; a client that has gone makes it a no-op (as Kestrel's writes after an abort are).</summary>
    internal async ValueTask SubmitAsync(StreamCommand command)
    {
        if (_aborted) return;
        try
        {
            if (!await _connection.SubmitAsync(this, command)) MarkAborted();
        }
        catch (ClientDisconnectedException)
        {
            MarkAborted();
        }
    }

    /// <summary>The stream is over from the application's side (it left, or it aborted): RequestAborted fires here, on its flow.</summary>
    private void MarkAborted()
    {
        _aborted = true;
        Input.Abort();
        CancellationTokenSource? source;
        lock (_sync) source = _abortedSource;
        source?.Cancel();
    }

    /// <summary>The client announced this many body bytes (null when it did not say).</summary>
    internal long? DeclaredRequestLength => _head.ContentLength;

    /// <summary>The client waits for 100 Continue before it sends the body.</summary>
    internal bool ExpectsContinue => _head.ExpectsContinue;

    /// <summary>
    /// Waits for request input (HTTP/1.1: reads the connection on the stream's behalf); false when none can come.
    /// <paramref name="cancellationToken"/> ends the wait on a multiplexed connection, where the connection's reader
    /// runs on its own; on HTTP/1.1 the read it started is the connection's only one and must finish.
    /// </summary>
    internal async ValueTask<bool> WaitForInputAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var wait = _connection.WaitForInputAsync(this);
            var more = _connection.IsMultiplexed && cancellationToken.CanBeCanceled
                ? await wait.AsTask().WaitAsync(cancellationToken)
                : await wait;
            if (!more && !HasInput && !Input.IsEnded) MarkAborted();
            return more;
        }
        catch (Exception ex) when (ex is IOException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            MarkAborted();
            return false;
        }
    }

    /// <summary>The body reader took everything that had arrived.</summary>
    internal void InputTaken() => _news = false;

    internal static ConnectionResetException ClientGone() => new("The client has disconnected.");
}
