using Hyper.Quic.Frames;
using Hyper.Quic.Packets;

namespace Hyper.Quic.Connection;

public sealed partial class QuicConnection
{
    /// <summary>Our connection IDs the peer may use, by sequence number, with their stateless reset tokens.</summary>
    private readonly SortedDictionary<ulong, (ConnectionId Id, byte[] ResetToken)> _localConnectionIds = [];
    private readonly SortedSet<ulong> _newConnectionIdsToSend = [];
    /// <summary>The peer's connection IDs we hold, by sequence number (sequence 0 is its handshake Source Connection ID).</summary>
    private readonly SortedDictionary<ulong, ConnectionId> _peerConnectionIds = [];
    private readonly SortedSet<ulong> _retireConnectionIdsToSend = [];
    private readonly byte[] _pathResponse = new byte[8];
    private bool _pathResponsePending;
    private ulong _nextLocalSequence;
    private ulong _peerRetirePriorTo;

    /// <summary>Our connection IDs the client may currently use; the endpoint routes them all here.</summary>
    public IEnumerable<ConnectionId> LocalConnectionIds => _localConnectionIds.Values.Select(v => v.Id);

    private void IssueConnectionIds()
    {
        _peerConnectionIds[0] = PeerConnectionId;
        _events.Enqueue(new ConnectionIdIssued(SourceConnectionId));
        // RFC 9000 §5.1.1: offer up to the peer's active_connection_id_limit IDs in total.
        var limit = (int)Math.Min(_peerParameters!.ActiveConnectionIdLimit, 8);
        while (_localConnectionIds.Count < limit) IssueOneConnectionId();
    }

    private void IssueOneConnectionId()
    {
        var (id, _) = NewLocalConnectionId();
        _newConnectionIdsToSend.Add(_nextLocalSequence - 1);
        _events.Enqueue(new ConnectionIdIssued(id));
    }

    private void OnRetireConnectionId(ulong sequence, ulong rawType)
    {
        // RFC 9000 §19.16: retiring a sequence number never sent is a PROTOCOL_VIOLATION.
        if (sequence >= _nextLocalSequence)
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, $"RETIRE_CONNECTION_ID for unissued sequence {sequence}.", rawType);
        if (!_localConnectionIds.Remove(sequence, out var retired)) return;
        _newConnectionIdsToSend.Remove(sequence);
        _events.Enqueue(new ConnectionIdRetired(retired.Id));
        // Keep the peer supplied: one new ID for each retired one, within its limit.
        if (_peerParameters is not null && _localConnectionIds.Count < (int)Math.Min(_peerParameters.ActiveConnectionIdLimit, 8))
            IssueOneConnectionId();
    }

    private void OnNewConnectionId(NewConnectionIdFrame frame, ulong rawType)
    {
        // RFC 9000 §19.15: an endpoint using a zero-length connection ID must not receive NEW_CONNECTION_ID.
        if (PeerConnectionId.Length == 0)
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, "NEW_CONNECTION_ID for a zero-length connection ID.", rawType);
        var id = new ConnectionId(frame.ConnectionId);
        if (_peerConnectionIds.TryGetValue(frame.SequenceNumber, out var known))
        {
            // §19.15: the same sequence number with a different ID is a PROTOCOL_VIOLATION; a repeat is harmless.
            if (known != id)
                throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, "NEW_CONNECTION_ID changes a known sequence number.", rawType);
            return;
        }
        if (frame.SequenceNumber < _peerRetirePriorTo)
        {
            // §19.15: an ID already retired by Retire Prior To is retired again at once.
            _retireConnectionIdsToSend.Add(frame.SequenceNumber);
            return;
        }

        _peerConnectionIds[frame.SequenceNumber] = id;
        if (frame.RetirePriorTo > _peerRetirePriorTo)
        {
            _peerRetirePriorTo = frame.RetirePriorTo;
            foreach (var sequence in _peerConnectionIds.Keys.Where(s => s < _peerRetirePriorTo).ToList())
            {
                _peerConnectionIds.Remove(sequence);
                _retireConnectionIdsToSend.Add(sequence);
            }
            // The ID in use was retired: switch to the lowest one left (§5.1.2).
            if (!_peerConnectionIds.ContainsValue(PeerConnectionId)) PeerConnectionId = _peerConnectionIds.First().Value;
        }

        // RFC 9000 §5.1.1: more active IDs than our active_connection_id_limit is CONNECTION_ID_LIMIT_ERROR.
        if (_peerConnectionIds.Count > Math.Max(2, _options.ActiveConnectionIdLimit))
            throw new QuicTransportException(QuicTransportErrorCode.ConnectionIdLimitError,
                $"The peer has {_peerConnectionIds.Count} active connection IDs; the limit is {_options.ActiveConnectionIdLimit}.", rawType);
    }
}
