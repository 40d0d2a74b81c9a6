using System.Net;
using Hyper.Core.Concurrency;
using Hyper.Core.Transport;
using Hyper.Quic.Connection;
using Hyper.Quic.Endpoint;
using Microsoft.Extensions.Logging;

namespace Hyper.Transport.Quic;

/// <summary>
/// Runs one <see cref="QuicEndpoint"/> on one UDP socket: a receive loop, a timer set to the endpoint's deadline, and
/// the sends that follow each. The endpoint and its connections are touched only under <see cref="_gate"/>, so the
/// receive loop, the timer and <see cref="IQuicConnectionContext.Invoke"/> never overlap. On the single-thread-loop
/// backend all three run on the socket's loop (the receive completes there, and the timer is created there after the
/// first receive), and the lock is never contended.
/// </summary>
internal sealed class QuicEndpointHost
{
    private const int BufferSize = 65536;

    private readonly IDatagramSocket _socket;
    private readonly QuicEndpoint _endpoint;
    private readonly IQuicConnectionHandlerFactory _handlers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _start;
    private readonly Lock _gate = new();
    private readonly byte[] _sendBuffer = new byte[BufferSize];
    private readonly Dictionary<QuicConnection, ConnectionContext> _contexts = new(ReferenceEqualityComparer.Instance);
    private ITimer? _timer;
    private long _armedDeadline = long.MaxValue;
    private bool _stopped;

    public QuicEndpointHost(IDatagramSocket socket, QuicEndpointOptions options, IQuicConnectionHandlerFactory handlers, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _endpoint = new QuicEndpoint(options);
        _handlers = handlers;
        _time = time;
        _logger = logger;
        _start = time.GetTimestamp();
    }

    public IPEndPoint LocalEndPoint => _socket.LocalEndPoint;

    /// <summary>The endpoint, for counters; read it under no lock only for diagnostics.</summary>
    public QuicEndpoint Endpoint => _endpoint;

    /// <summary>How many times the timer fired, for diagnostics: a timer that fires without progress shows up here.</summary>
    public long TimerFirings { get; private set; }

    /// <summary>Receives until <paramref name="stopping"/> fires or the socket closes, then closes every connection.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                DatagramReceiveResult result;
                try
                {
                    // ConfigureAwait(false): continue where the receive completed (the socket's loop on an event loop).
                    result = await _socket.ReceiveAsync(buffer, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    break;
                }
                if (result.IsClosed) break;
                lock (_gate)
                {
                    _timer ??= CallbackGuard.CreateTimer(_time, static s => ((QuicEndpointHost)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    var now = Now();
                    _endpoint.Receive(buffer.AsSpan(0, result.Length), result.Remote!, now);
                    Pump(now);
                }
            }
        }
        finally
        {
            Shutdown();
        }
    }

    private void Shutdown()
    {
        lock (_gate)
        {
            if (_stopped) return;
            var now = Now();
            // Tell every client now instead of leaving it to its idle timeout (RFC 9000 §10.2): one CONNECTION_CLOSE each.
            foreach (var connection in _endpoint.Connections.ToList())
            {
                connection.Close(_handlers.NoErrorCode, "server stopping", now);
                _endpoint.NotifySendPending(connection);
            }
            Pump(now);
            _stopped = true;
            _timer?.Dispose();
            foreach (var context in _contexts.Values) context.Closed = true;
            _contexts.Clear();
            _endpoint.Dispose();
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_stopped) return;
            _armedDeadline = long.MaxValue;
            TimerFirings++;
            var now = Now();
            _endpoint.OnTimer(now);
            Pump(now);
        }
    }

    /// <summary>Microseconds on the backend's monotonic clock since the host started.</summary>
    private long Now() => _time.GetElapsedTime(_start).Ticks / 10;

    /// <summary>Hands the endpoint's events to the handlers, sends everything due, and arms the timer. Under the gate.</summary>
    private void Pump(long now)
    {
        while (_endpoint.TryGetEvent(out var e)) Dispatch(e);
        int length;
        while ((length = _endpoint.WriteDatagram(_sendBuffer, now, out var remote)) > 0)
        {
            _socket.TrySend(_sendBuffer.AsSpan(0, length), remote!);
            // Sending can end a connection (a closing one with nothing left); its events still reach the handler.
            while (_endpoint.TryGetEvent(out var e)) Dispatch(e);
        }
        if (_stopped || _timer is null) return;
        var deadline = _endpoint.TimerDeadline;
        if (deadline == _armedDeadline) return;
        _armedDeadline = deadline;
        _timer.Change(deadline == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(Math.Max(0, deadline - now) * 10), Timeout.InfiniteTimeSpan);
    }

    private void Dispatch(QuicEndpointEvent e)
    {
        var connection = e.Connection;
        switch (e.Event)
        {
            case ConnectionAccepted:
                _contexts[connection] = new ConnectionContext(this, connection);
                return;
            case ConnectionIdIssued or ConnectionIdRetired:
                return;
        }
        if (!_contexts.TryGetValue(connection, out var context)) return;
        switch (e.Event)
        {
            case ConnectionEstablished established:
                context.ApplicationProtocol = established.ApplicationProtocol;
                context.ServerName = established.ServerName;
                Call(context, static (c, _) => c.Handler = c.Host._handlers.Create(c), 0UL, 0UL);
                break;
            case StreamDataAvailable available:
                Call(context, static (c, id) => c.Handler?.OnStreamReadable(id), available.StreamId, 0UL);
                break;
            case StreamResetByPeer reset:
                Call(context, static (c, id) => c.Handler?.OnStreamReset(id, c.Argument), reset.StreamId, reset.ApplicationErrorCode);
                break;
            case StreamStopSendingRequested stop:
                Call(context, static (c, id) => c.Handler?.OnStopSending(id, c.Argument), stop.StreamId, stop.ApplicationErrorCode);
                break;
            case StreamWritable writable:
                Call(context, static (c, id) => c.Handler?.OnStreamWritable(id), writable.StreamId, 0UL);
                break;
            case ConnectionTerminated terminated:
                _contexts.Remove(connection);
                var handler = context.Handler;
                context.Closed = true;
                if (handler is null) break;
                try
                {
                    handler.OnClosed(terminated);
                }
                catch (Exception error)
                {
                    _logger.LogError(error, "QUIC connection handler failed in OnClosed ({Remote})", connection.RemoteEndPoint);
                }
                break;
        }
    }

    /// <summary>Calls the handler; a handler that throws closes its connection with the application's internal error code.</summary>
    private void Call(ConnectionContext context, Action<ConnectionContext, ulong> call, ulong streamId, ulong argument)
    {
        if (context.Closed) return;
        context.Argument = argument;
        try
        {
            call(context, streamId);
        }
        catch (Exception error)
        {
            _logger.LogError(error, "QUIC connection handler failed ({Remote}); closing the connection", context.Connection.RemoteEndPoint);
            context.Connection.Close(_handlers.InternalErrorCode, "internal error", Now());
        }
        _endpoint.NotifySendPending(context.Connection);
    }

    private void InvokeFromOutside(ConnectionContext context, Action<IQuicConnectionContext> work)
    {
        lock (_gate)
        {
            if (context.Closed || _stopped) return;
            try
            {
                work(context);
            }
            catch (Exception error)
            {
                _logger.LogError(error, "QUIC connection work failed ({Remote}); closing the connection", context.Connection.RemoteEndPoint);
                context.Connection.Close(_handlers.InternalErrorCode, "internal error", Now());
            }
            _endpoint.NotifySendPending(context.Connection);
            Pump(Now());
        }
    }

    private sealed class ConnectionContext(QuicEndpointHost host, QuicConnection connection) : IQuicConnectionContext
    {
        public QuicEndpointHost Host { get; } = host;

        public QuicConnection Connection { get; } = connection;

        public IQuicConnectionHandler? Handler { get; set; }

        public bool Closed { get; set; }

        /// <summary>The second argument of the handler call in progress (an error code), so the call needs no closure.</summary>
        public ulong Argument { get; set; }

        public string ApplicationProtocol { get; set; } = "";

        public string? ServerName { get; set; }

        public IPEndPoint RemoteEndPoint => Connection.RemoteEndPoint;

        public IPEndPoint LocalEndPoint => Host.LocalEndPoint;

        public ulong? OpenStream(bool bidirectional)
        {
            CheckAccess();
            return Connection.OpenStream(bidirectional);
        }

        public bool Write(ulong streamId, ReadOnlySpan<byte> data, bool fin)
        {
            CheckAccess();
            return Connection.Write(streamId, data, fin);
        }

        public int Read(ulong streamId, Span<byte> destination, out bool finished)
        {
            CheckAccess();
            return Connection.Read(streamId, destination, out finished);
        }

        public void ResetStream(ulong streamId, ulong applicationErrorCode)
        {
            CheckAccess();
            Connection.ResetStream(streamId, applicationErrorCode);
        }

        public void StopSending(ulong streamId, ulong applicationErrorCode)
        {
            CheckAccess();
            Connection.StopSending(streamId, applicationErrorCode);
        }

        public void Close(ulong applicationErrorCode, string reason)
        {
            CheckAccess();
            Connection.Close(applicationErrorCode, reason, Host.Now());
        }

        public void Invoke(Action<IQuicConnectionContext> work)
        {
            ArgumentNullException.ThrowIfNull(work);
            if (Host._gate.IsHeldByCurrentThread) work(this);
            else Host.InvokeFromOutside(this, work);
        }

        private void CheckAccess()
        {
            if (!Host._gate.IsHeldByCurrentThread)
                throw new InvalidOperationException("A QUIC connection is used only inside its handler's calls or through Invoke.");
            if (Closed) throw new InvalidOperationException("The QUIC connection is closed.");
        }
    }
}
