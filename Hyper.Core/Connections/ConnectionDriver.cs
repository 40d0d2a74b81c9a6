using System.Runtime.CompilerServices;
using System.Buffers;
using System.IO.Pipelines;
using Hyper.Core.Application;
using Hyper.Core.Concurrency;
using Hyper.Core.Hosting;
using Hyper.Core.Protocols;
using Hyper.Core.Streams;
using Hyper.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Connections;

/// <summary>
/// The single owner of one connection's protocol object, written once for every backend (Hypercorn keeps a
/// near-copy of this loop per backend; Hyper must not). It reads from the transport, feeds the protocol,
/// turns events into stream work, writes and flushes, and arms the protocol's next deadline.
///
/// Awaits here deliberately do not use ConfigureAwait(false): on the single-thread-loop backend the loop's
/// SynchronizationContext must bring every continuation (and so the application) back to the loop thread; on
/// the thread pool there is no context and nothing changes.
///
/// Theory of operation (HTTP/1.1, one request at a time):
/// - <see cref="RunAsync"/> pumps input until the protocol reports a request, then runs the application for it
///   inline (no task hop per request, as Kestrel does for HTTP/1.1), then pumps again.
/// - While the application runs, its <c>receive</c> pulls input through <see cref="PumpAsync"/>; nobody else reads.
/// - Every call into the protocol happens under <see cref="_gate"/>, so an application that sends from one task
///   while another waits in <c>receive</c> (Starlette's disconnect listener does) still gives the protocol one
///   caller at a time. The gate is held only for synchronous protocol work, never while waiting for the network
///   (see <see cref="FlushAsync"/>), and is uncontended on the hot path.
/// - Multiplexed (HTTP/2): the reader loop is the connection's owner. Streams submit commands (applied under the
///   gate, no flush) and signal the owner (<see cref="OwnerWakeup"/>), which it waits on beside its read; it flushes
///   once per batch and wakes streams waiting on the flush (backpressure) or on flow control.
/// - Deadlines: the backend's timer wakes the owner; the pump then calls <see cref="IStreamProtocol.OnTimer"/>
///   itself, so timer work never runs beside other protocol calls.
/// </summary>
sealed partial class ConnectionDriver
{
    private readonly ServerContext _server;
    private readonly ITransportConnection _transport;
    private IStreamProtocol _protocol;
    private readonly ConnectionInfo _info;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<HeaderField> _responseHeaders = new(16);
    private IMultiplexedStreamProtocol? _multiplexed;
    private Dictionary<long, IStreamHandler>? _streams;
    private List<IStreamHandler>? _starting;
    private ITimer? _timer;
    private long _armedDeadline = long.MaxValue;
    private IStreamHandler? _current;
    private IStreamHandler? _pendingRun;
    private IStreamHandler? _spareStream;
    private bool _inputEnded;
    private bool _peerFinished;
    private bool _hasBufferedInput;
    private bool _readBuffered;
    private volatile bool _pumping;
    private bool _abort;
    private int _closing;
    // Bytes the protocol left in the pipe after the last read (bytes_received counts only what is new).
    private long _unconsumedBytes;

    public ConnectionDriver(ServerContext server, ITransportConnection transport, IStreamProtocol protocol, ConnectionInfo info, ITaskScope scope)
    {
        Scope = scope;
        _server = server;
        _transport = transport;
        _protocol = protocol;
        _info = info;
        _reader = transport.Transport.Input;
        _writer = transport.Transport.Output;
        UseProtocol(protocol);
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_protocol))]
    private void UseProtocol(IStreamProtocol protocol)
    {
        _protocol = protocol;
        _multiplexed = protocol as IMultiplexedStreamProtocol;
        if (_multiplexed is not null)
        {
            _streams = new Dictionary<long, IStreamHandler>();
            _starting = new List<IStreamHandler>();
        }
    }

    /// <summary>The connection's task group; request task groups are its children.</summary>
    internal ITaskScope Scope { get; }
    private long Now => MonotonicTime.Now(_server.Time);

    /// <summary>Serves the connection until it closes; never throws.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var registration = CallbackGuard.Register(cancellationToken, static d => ((ConnectionDriver)d!).Abort(), this);
            // One loop for both kinds: a one-at-a-time protocol leaves a request in _pendingRun to run inline; a
            // multiplexed one never does (its requests run as tasks), so for it this is just the reader loop. A
            // connection can change kind in the middle (Upgrade: h2c).
            while (true)
            {
                if (_pendingRun is { } stream)
                {
                    _pendingRun = null;
                    await stream.RunAsync();
                    _spareStream = stream;
                    continue;
                }
                if (_abort || _protocol.ShouldClose) break;
                if (!await PumpAsync() && _pendingRun is null) break;
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            _server.Logger.LogDebug(ex, "Connection from {Remote} ended with an error", _info.Remote);
        }
        catch (Exception ex)
        {
            _server.Logger.LogError(ex, "Connection from {Remote} failed", _info.Remote);
            _abort = true;
        }
        finally
        {
            await CloseAsync();
        }
    }

    /// <summary>
    /// Reads once from the transport and feeds the protocol. Returns false when no more input will come
    /// (the peer closed, or the connection is closing).
    /// </summary>
    // Pooled state machines: these suspend once per request on the hot path; a fresh box each time would be
    // most of what a request allocates.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> PumpAsync(IStreamHandler? waiter = null)
    {
        if (_pumping) throw new InvalidOperationException("receive() must not be called concurrently on one request.");
        if (_inputEnded || _abort) return false;
        // Nothing new can arrive and the protocol takes nothing buffered now: reading again would spin.
        if (_peerFinished && !_readBuffered && !_protocol.WantsInput) return false;
        _pumping = true;
        try
        {
            // With a pipelined request already buffered the read returns at once: nothing to flush (its response
            // goes out in the same send as this one) and no timer to arm, so the gate is not needed here.
            if (!_readBuffered || waiter is not null)
            {
                await EnterAsync();
                try
                {
                    // Checked under the gate: a send that completes the response does its part under the gate too,
                    // and wakes the read if it comes later.
                    if (waiter is not null && (waiter.IsOver || waiter.HasInput)) return true;
                    ArmTimer();
                }
                finally
                {
                    _gate.Release();
                }
                // Not under the gate: a slow client holds up this flush, never the streams' access to the connection.
                if (!_readBuffered) await FlushAsync();
            }
            _readBuffered = false;
            ReadResult result;
            if (_multiplexed is null)
            {
                result = await _reader.ReadAsync();
            }
            else if (await ReadOrWakeAsync() is { } read)
            {
                result = read;
            }
            else
            {
                // Woken without input: a deadline, a stream's output to flush, or shutdown. Let the streams that are
                // ready to run write first, so their responses leave together in one flush rather than one each.
                await Task.Yield();
                await EnterAsync();
                try
                {
                    var now = Now;
                    if (now >= _protocol.NextDeadline) _protocol.OnTimer(now, _writer);
                    DispatchEvents();
                }
                finally
                {
                    _gate.Release();
                }
                await FlushAsync();
                return !_inputEnded && !_protocol.ShouldClose && !_abort;
            }

            var buffer = result.Buffer;
            var consumed = buffer.Start;
            // What the last read left unconsumed comes back at the front of this buffer; only the rest is new.
            _server.Metrics.BytesReceived(buffer.Length - _unconsumedBytes);
            await EnterAsync();
            try
            {
                var now = Now;
                if (now >= _protocol.NextDeadline) _protocol.OnTimer(now, _writer);
                if (!buffer.IsEmpty && !_protocol.ShouldClose) consumed = _protocol.Receive(buffer, now, _writer);
                _hasBufferedInput = !consumed.Equals(buffer.End);
                if (result.IsCompleted && !_inputEnded)
                {
                    if (consumed.Equals(buffer.End) || _protocol.WantsInput)
                    {
                        _inputEnded = true;
                        _protocol.ReceiveCompleted(now, _writer);
                    }
                    else
                    {
                        // The peer sent pipelined requests and then closed its side: they are still served,
                        // and the end of input is reported once the protocol has taken them.
                        _peerFinished = true;
                    }
                }
                DispatchEvents();
            }
            finally
            {
                _gate.Release();
                _unconsumedBytes = _hasBufferedInput ? buffer.Slice(consumed).Length : 0;
                _reader.AdvanceTo(consumed, buffer.End);
            }
            // A request about to run flushes with its own response (one send per pipelined batch).
            if (_pendingRun is null) await FlushAsync();
            return !_inputEnded && !_protocol.ShouldClose && !_abort;
        }
        finally
        {
            _pumping = false;
        }
    }

    private Task<ReadResult>? _pendingRead;
    private readonly OwnerWakeup _wakeup = new();

    /// <summary>
    /// Multiplexed connections: waits for input or for the owner's wake-up signal, whichever comes first. A read
    /// that is still pending when the signal comes stays outstanding and is awaited again next time. Returns null
    /// when woken without input.
    /// </summary>
    private async ValueTask<ReadResult?> ReadOrWakeAsync()
    {
        var read = _pendingRead ??= _reader.ReadAsync().AsTask();
        if (!read.IsCompleted)
        {
            var wake = _wakeup.Prepare();
            if (!wake.IsCompleted) await Task.WhenAny(read, wake);
            if (!read.IsCompleted) return null;
        }
        _pendingRead = null;
        return await read;
    }

    /// <summary>Hands queued protocol events to their streams; called after every protocol call, under the gate.</summary>
    private void DispatchEvents()
    {
        while (_protocol.TryDequeueEvent(out var protocolEvent))
        {
            if (_multiplexed is not null)
            {
                DispatchMultiplexed(protocolEvent!);
                continue;
            }
            switch (protocolEvent)
            {
                case RequestReceived received:
                    if (TryUpgrade(received))
                    {
                        // The connection now speaks the new protocol; its events (stream 1) are dispatched as such.
                        DispatchEvents();
                        return;
                    }
                    var spare = _spareStream;
                    _spareStream = null;
                    _current = CreateHandler(received.StreamId, received.Head, spare);
                    _pendingRun = _current;
                    break;
                case RequestBodyReceived body:
                    if (_current?.Id == body.StreamId) _current.OnBody(body.Data);
                    break;
                case RequestBodyEnded ended:
                    if (_current?.Id == ended.StreamId) _current.OnBodyEnded(ended.Trailers);
                    break;
                case StreamAborted aborted:
                    if (_current?.Id == aborted.StreamId) _current.OnAborted();
                    break;
                case StreamCompleted completed:
                    if (_current?.Id == completed.StreamId)
                    {
                        _current.OnCompleted();
                        _current = null;
                    }
                    // The protocol may now parse a pipelined request that is already buffered: the next read
                    // must return at once with what is there rather than wait for new bytes.
                    _readBuffered = true;
                    WakeOwner();
                    break;
                case RequestRejected rejected:
                    Reject(rejected);
                    break;
            }
        }
        if (_multiplexed is not null) StartStreams();
    }

    private void Reject(RequestRejected rejected)
    {
        _server.Logger.LogInformation("Rejected request from {Remote}: {Status} {Reason}", _info.Remote, rejected.StatusCode, rejected.Reason);
        _server.Metrics.RequestRejected(rejected.StatusCode);
        if (_multiplexed is not null)
        {
            RejectMultiplexed(rejected);
            return;
        }
        var stream = _current?.Id == rejected.StreamId ? _current : null;
        if (stream is { ResponseStarted: true })
        {
            // Too late for a status: the protocol closes the connection.
            stream.OnAborted();
            return;
        }
        stream?.OnAborted();
        if (stream is not null && ReferenceEquals(_pendingRun, stream)) _pendingRun = null;
        _protocol.SendCompleteResponse(rejected.StreamId, rejected.StatusCode, ComposeHeaders([]), ReadOnlySpan<byte>.Empty, Now, _writer);
    }

    /// <summary>The response headers: the application's, plus Server and Date unless it set them or they are off.</summary>
    private List<HeaderField> ComposeHeaders(IReadOnlyList<HeaderField> appHeaders)
    {
        var headers = _responseHeaders;
        headers.Clear();
        var hasServer = false;
        var hasDate = false;
        for (var i = 0; i < appHeaders.Count; i++)
        {
            var field = appHeaders[i];
            headers.Add(field);
            if (field.NameIs("server"u8)) hasServer = true;
            else if (field.NameIs("date"u8)) hasDate = true;
        }
        var options = _server.Options;
        if (options.IncludeServerHeader && !hasServer) headers.Add(_server.ServerHeader);
        if (options.IncludeDateHeader && !hasDate) headers.Add(_server.DateHeader.Current);
        return headers;
    }

    /// <summary>Takes the gate; the fast path is synchronous and allocation-free.</summary>
    private ValueTask EnterAsync() => _gate.Wait(0) ? ValueTask.CompletedTask : new ValueTask(_gate.WaitAsync());

    /// <summary>
    /// Wakes the owner so it re-checks deadlines, stream state, output to flush or shutdown. A multiplexed owner waits
    /// on its explicit signal beside the read; a one-at-a-time connection reads only on behalf of its one request,
    /// and its read is woken by cancelling it (the pump sees an empty, cancelled result and looks again).
    /// </summary>
    private void WakeOwner()
    {
        if (_multiplexed is not null) _wakeup.Set();
        else _reader.CancelPendingRead();
    }

    /// <summary>Aborts the connection at once (the application failed mid-response, or the server is stopping hard).</summary>
    internal void Abort()
    {
        _abort = true;
        // Multiplexed streams learn it from CloseAsync, under the gate; their state is not touched from here.
        _current?.OnAborted();
        _transport.Abort();
        WakeOwner();
    }

    /// <summary>Graceful shutdown: the protocol stops taking requests and closes when idle.</summary>
    public async Task BeginShutdownAsync()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return;
        await EnterAsync();
        try
        {
            _protocol.BeginShutdown(Now, _writer);
            DispatchEvents();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            _abort = true;
        }
        finally
        {
            _gate.Release();
        }
        // The owner flushes what the protocol wrote (GOAWAY, a closing response) when it looks again.
        WakeOwner();
    }

    private async Task CloseAsync()
    {
        _current?.OnAborted();
        if (_streams is not null)
        {
            await EnterAsync();
            try
            {
                foreach (var stream in _streams.Values) stream.OnAborted();
                WakeAllStreams();
            }
            finally
            {
                _gate.Release();
            }
        }
        _timer?.Dispose();
        try
        {
            if (!_abort) await FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException) { _abort = true; }
        // Streams still waiting for a flush (backpressure) must not wait for one that will never come.
        await EnterAsync();
        var flushed = _flushed;
        _flushed = null;
        _gate.Release();
        flushed?.TrySetResult();
        if (_abort) _transport.Abort();
        if (_pendingRead is { IsCompleted: false } read)
        {
            // The owner's outstanding read must end before the reader is completed.
            _reader.CancelPendingRead();
            try { await read; } catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException) { }
        }
        WatchClosingDrain();
        try
        {
            await _writer.CompleteAsync();
            await _reader.CompleteAsync();
            await _transport.DisposeAsync();
        }
        finally
        {
            _rateWatch?.Dispose();
        }
    }
}
