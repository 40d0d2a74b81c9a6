using System.Net;
using Hyper.Quic.AddressValidation;
using Hyper.Quic.Connection;
using Hyper.Quic.Packets;

namespace Hyper.Quic.Endpoint;

/// <summary>
/// The server side of one UDP socket (RFC 9000 §5.2, §6, §8.1, §10.3), sans-IO like <see cref="QuicConnection"/>:
/// <see cref="Receive"/> takes a datagram with its sender and the time and routes it to its connection by
/// Destination Connection ID, creating connections for valid Initials; <see cref="WriteDatagram"/> produces the next
/// datagram to send and where to; <see cref="TimerDeadline"/> and <see cref="OnTimer"/> run every connection's timers;
/// <see cref="TryGetEvent"/> reports every connection's events. Times are microseconds on the caller's monotonic clock.
/// </summary>
/// <remarks>
/// The routing table follows the connections' <see cref="ConnectionIdIssued"/> and <see cref="ConnectionIdRetired"/>
/// events, plus the two IDs a connection has before it issues any: the client's original Destination Connection ID
/// (its Initials carry it until it hears from us) and the server's handshake Source Connection ID. A connection that
/// throws (a bug, not a peer error: those become CONNECTION_CLOSE inside it) is dropped alone and reported as
/// terminated with INTERNAL_ERROR.
/// </remarks>
public sealed partial class QuicEndpoint : IDisposable
{
    /// <summary>RFC 9000 §14.1: a server drops a client's Initial in a datagram smaller than this.</summary>
    public const int MinimumInitialDatagramSize = 1200;

    /// <summary>RFC 9000 §7.2: the unpredictable DCID of a client's first Initial is at least 8 bytes.</summary>
    public const int MinimumClientDestinationConnectionIdLength = 8;

    private readonly QuicEndpointOptions _options;
    private readonly Dictionary<ConnectionId, Entry> _routes = new(ConnectionIdComparer.Instance);
    private readonly Dictionary<ConnectionId, Entry>.AlternateLookup<ReadOnlySpan<byte>> _routesBySpan;
    private readonly Dictionary<QuicConnection, Entry> _entries = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<Entry> _sendReady = new();
    private readonly Queue<QuicEndpointEvent> _events = new();
    private readonly RetryTokenProtector? _retryTokens;
    private readonly StatelessResetLimiter _resetLimiter;
    private int _handshakes;

    public QuicEndpoint(QuicEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _routesBySpan = _routes.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (options.Retry != QuicRetryMode.Never) _retryTokens = new RetryTokenProtector(options.RetryTokenKey, options.RetryTokenLifetime);
        _resetLimiter = new StatelessResetLimiter(options.StatelessResetsPerSecond);
        _stateless = new Queue<(byte[], IPEndPoint)>();
    }

    /// <summary>Connections the endpoint holds, in any state up to their termination.</summary>
    public int ConnectionCount => _entries.Count;

    /// <summary>Connections whose handshake has not completed yet.</summary>
    public int HandshakesInProgress => _handshakes;

    /// <summary>Connection IDs currently routed (for tests and metrics).</summary>
    public int RoutedConnectionIdCount => _routes.Count;

    public IEnumerable<QuicConnection> Connections => _entries.Keys;

    public long DatagramsReceived { get; private set; }

    /// <summary>Datagrams that reached no connection and caused no answer (malformed, unknown, too small, ...).</summary>
    public long DatagramsDropped { get; private set; }

    public long VersionNegotiationsSent { get; private set; }

    public long RetriesSent { get; private set; }

    public long StatelessResetsSent { get; private set; }

    /// <summary>New connections refused with CONNECTION_REFUSED because a limit was reached.</summary>
    public long ConnectionsRefused { get; private set; }

    /// <summary>Initials with a Retry token that did not open (answered with INVALID_TOKEN).</summary>
    public long InvalidTokens { get; private set; }

    /// <summary>Connections dropped because they threw.</summary>
    public long ConnectionsFailed { get; private set; }

    public bool TryGetEvent(out QuicEndpointEvent endpointEvent) => _events.TryDequeue(out endpointEvent);

    /// <summary>
    /// Processes one datagram from <paramref name="remote"/>. It is decrypted in place. Nothing the peer sends makes
    /// this throw.
    /// </summary>
    public void Receive(Span<byte> datagram, IPEndPoint remote, long now)
    {
        ArgumentNullException.ThrowIfNull(remote);
        DatagramsReceived++;
        if (datagram.IsEmpty)
        {
            DatagramsDropped++;
            return;
        }

        if ((datagram[0] & 0x80) == 0)
        {
            ReceiveShortHeader(datagram, remote, now);
            return;
        }

        if (!PacketHeaderParser.TryReadLongHeaderVersion(datagram, out var version) || version == QuicVersion.Negotiation)
        {
            // RFC 9000 §6.1: a server never processes a Version Negotiation packet.
            DatagramsDropped++;
            return;
        }
        if (!QuicVersion.IsSupported(version))
        {
            AnswerUnsupportedVersion(datagram, remote);
            return;
        }
        if (!PacketHeaderParser.TryParse(datagram, _options.Connection.ConnectionIdLength, out var header))
        {
            DatagramsDropped++;
            return;
        }
        if (_routesBySpan.TryGetValue(header.DestinationConnectionId, out var entry))
        {
            Deliver(entry, datagram, remote, now);
            return;
        }
        if (header.Type != PacketType.Initial)
        {
            // Handshake or 0-RTT for a connection we do not hold (0-RTT stays off): nothing to do with it.
            DatagramsDropped++;
            return;
        }
        AcceptInitial(datagram, header, remote, now);
    }

    /// <summary>
    /// The earliest time any connection needs <see cref="OnTimer"/>; long.MaxValue when none does. It scans every
    /// connection, which is cheap next to the work one datagram costs.
    /// </summary>
    public long TimerDeadline
    {
        get
        {
            var deadline = long.MaxValue;
            foreach (var entry in _entries.Values) deadline = Math.Min(deadline, entry.Connection.TimerDeadline);
            return deadline;
        }
    }

    /// <summary>Runs every connection's timers that are due at <paramref name="now"/>; then call <see cref="WriteDatagram"/>.</summary>
    public void OnTimer(long now)
    {
        List<Entry>? due = null;
        foreach (var entry in _entries.Values)
        {
            if (entry.Connection.TimerDeadline <= now) (due ??= []).Add(entry);
        }
        if (due is null) return;
        foreach (var entry in due)
        {
            if (entry.Removed) continue;
            try
            {
                entry.Connection.OnTimer(now);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                Fail(entry, error);
                continue;
            }
            AfterConnectionWork(entry);
        }
    }

    /// <summary>
    /// Tells the endpoint that the application gave <paramref name="connection"/> something to send (stream data, a
    /// reset, a close), so that <see cref="WriteDatagram"/> asks it.
    /// </summary>
    public void NotifySendPending(QuicConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_entries.TryGetValue(connection, out var entry)) AfterConnectionWork(entry);
    }

    /// <summary>
    /// Writes the next datagram to send into <paramref name="destination"/> (at least 1200 bytes) and returns its
    /// length, or 0 when nothing is waiting. The endpoint's own answers go first, then the connections in turn.
    /// </summary>
    public int WriteDatagram(Span<byte> destination, long now, out IPEndPoint? remote)
    {
        if (_stateless.TryDequeue(out var queued))
        {
            queued.Datagram.CopyTo(destination);
            remote = queued.Remote;
            return queued.Datagram.Length;
        }
        while (_sendReady.TryPeek(out var entry))
        {
            var written = 0;
            if (!entry.Removed)
            {
                try
                {
                    written = entry.Connection.WriteDatagram(destination, now);
                }
                catch (Exception error) when (error is not OutOfMemoryException)
                {
                    Fail(entry, error);
                }
            }
            _sendReady.Dequeue();
            if (written > 0)
            {
                // Round robin: one datagram per connection in turn, so a bulk sender does not starve the others.
                _sendReady.Enqueue(entry);
                remote = entry.Connection.RemoteEndPoint;
                return written;
            }
            entry.SendReady = false;
            if (!entry.Removed) DrainEvents(entry);
        }
        remote = null;
        return 0;
    }

    public void Dispose()
    {
        foreach (var entry in _entries.Values) entry.Connection.Dispose();
        _entries.Clear();
        _routes.Clear();
        _retryTokens?.Dispose();
    }

    private void ReceiveShortHeader(Span<byte> datagram, IPEndPoint remote, long now)
    {
        var idLength = _options.Connection.ConnectionIdLength;
        if (!PacketHeaderParser.TryParse(datagram, idLength, out var header))
        {
            DatagramsDropped++;
            return;
        }
        if (_routesBySpan.TryGetValue(header.DestinationConnectionId, out var entry))
        {
            Deliver(entry, datagram, remote, now);
            return;
        }
        SendStatelessReset(header.DestinationConnectionId, datagram.Length, remote, now);
    }

    private void Deliver(Entry entry, Span<byte> datagram, IPEndPoint remote, long now)
    {
        try
        {
            entry.Connection.Receive(datagram, remote, now);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            Fail(entry, error);
            return;
        }
        AfterConnectionWork(entry);
    }

    private void AfterConnectionWork(Entry entry)
    {
        DrainEvents(entry);
        if (entry.Removed || entry.SendReady) return;
        entry.SendReady = true;
        _sendReady.Enqueue(entry);
    }

    /// <summary>Moves a connection's events to the endpoint's queue, keeping the routing table in step with them.</summary>
    private void DrainEvents(Entry entry)
    {
        var connection = entry.Connection;
        while (connection.TryGetEvent(out var connectionEvent))
        {
            switch (connectionEvent)
            {
                case ConnectionIdIssued issued:
                    AddRoute(entry, issued.ConnectionId);
                    break;
                case ConnectionIdRetired retired:
                    if (entry.Routes.Remove(retired.ConnectionId)) _routes.Remove(retired.ConnectionId);
                    break;
                case ConnectionEstablished:
                    EndHandshake(entry);
                    break;
            }
            _events.Enqueue(new QuicEndpointEvent(connection, connectionEvent!));
            if (connectionEvent is ConnectionTerminated)
            {
                Remove(entry);
                return;
            }
        }
        if (connection.IsClosed) Remove(entry);
    }

    private void AddRoute(Entry entry, ConnectionId id)
    {
        // A collision between random IDs is astronomically unlikely; the first holder keeps the ID.
        if (_routes.TryAdd(id, entry)) entry.Routes.Add(id);
    }

    private void EndHandshake(Entry entry)
    {
        if (!entry.Handshaking) return;
        entry.Handshaking = false;
        _handshakes--;
    }

    private void Fail(Entry entry, Exception error)
    {
        ConnectionsFailed++;
        _events.Enqueue(new QuicEndpointEvent(entry.Connection, new ConnectionTerminated(
            (ulong)QuicTransportErrorCode.InternalError, IsApplicationError: false, ClosedByPeer: false, IdleTimeout: false,
            $"The connection failed: {error.GetType().Name}: {error.Message}")));
        Remove(entry);
    }

    private void Remove(Entry entry)
    {
        if (entry.Removed) return;
        entry.Removed = true;
        EndHandshake(entry);
        foreach (var id in entry.Routes) _routes.Remove(id);
        entry.Routes.Clear();
        _entries.Remove(entry.Connection);
        entry.Connection.Dispose();
    }

    /// <summary>One connection and what the endpoint keeps about it.</summary>
    private sealed class Entry(QuicConnection connection)
    {
        public QuicConnection Connection { get; } = connection;

        /// <summary>Every connection ID routed to this connection, so all can be removed with it.</summary>
        public HashSet<ConnectionId> Routes { get; } = new(ConnectionIdComparer.Instance);

        public bool Handshaking { get; set; } = true;

        public bool SendReady { get; set; }

        public bool Removed { get; set; }
    }
}
