using Hyper.Quic.Frames;
using Hyper.Quic.Transport;

namespace Hyper.Quic.Connection;

public sealed partial class QuicConnection
{
    private readonly SortedDictionary<ulong, QuicStream> _streams = [];

    // Receive-side connection flow control (RFC 9000 §4.1).
    private long _maxDataAdvertised;
    private long _dataReceived; // sum of each stream's highest received offset
    private long _dataConsumed;
    private bool _maxDataPending;

    // Send-side connection flow control.
    private long _peerMaxData;
    private long _dataSent; // sum of each stream's highest sent offset

    // Stream limits (RFC 9000 §4.6): what we allow the client, and what the client allows us.
    private long _maxStreamsBidiAdvertised;
    private long _maxStreamsUniAdvertised;
    private long _clientBidiClosed;
    private long _clientUniClosed;
    private long _nextClientBidiIndex; // streams below this index were opened (explicitly or implicitly)
    private long _nextClientUniIndex;
    private bool _maxStreamsBidiPending;
    private bool _maxStreamsUniPending;
    private long _peerMaxStreamsBidi;
    private long _peerMaxStreamsUni;
    private long _nextServerBidiIndex;
    private long _nextServerUniIndex;

    private void InitializeStreams()
    {
        _maxDataAdvertised = _options.ConnectionReceiveWindow;
        _maxStreamsBidiAdvertised = _options.MaxBidirectionalStreams;
        _maxStreamsUniAdvertised = _options.MaxUnidirectionalStreams;
    }

    private void ApplyPeerTransportParameters(TransportParameters parameters)
    {
        _peerMaxData = (long)parameters.InitialMaxData;
        _peerMaxStreamsBidi = (long)parameters.InitialMaxStreamsBidi;
        _peerMaxStreamsUni = (long)parameters.InitialMaxStreamsUni;
    }

    /// <summary>Opens a server-initiated stream (RFC 9000 §2.1); null when the client's MAX_STREAMS does not allow one.</summary>
    public ulong? OpenStream(bool bidirectional)
    {
        if (!_handshakeComplete || _state != ConnectionState.Established) return null;
        ulong id;
        if (bidirectional)
        {
            if (_nextServerBidiIndex >= _peerMaxStreamsBidi) return null;
            id = ((ulong)_nextServerBidiIndex++ << 2) | 0x1;
        }
        else
        {
            if (_nextServerUniIndex >= _peerMaxStreamsUni) return null;
            id = ((ulong)_nextServerUniIndex++ << 2) | 0x3;
        }
        _streams[id] = NewStream(id);
        return id;
    }

    /// <summary>
    /// Queues <paramref name="data"/> on the stream, with the FIN if <paramref name="fin"/>. The bytes are buffered
    /// until acknowledged; flow control decides when they go out. False when the stream cannot send.
    /// </summary>
    public bool Write(ulong streamId, ReadOnlySpan<byte> data, bool fin)
    {
        if (_state != ConnectionState.Established) return false;
        if (!_streams.TryGetValue(streamId, out var stream) || stream.Send is null || stream.ResetPending || stream.ResetSent || stream.Send.Finished)
            return false;
        stream.Send.Write(data, fin);
        return true;
    }

    /// <summary>
    /// Reads in-order bytes of the stream into <paramref name="destination"/>; <paramref name="finished"/> is true once
    /// everything up to the FIN has been read. Reading is what grants the peer more credit (MAX_STREAM_DATA, MAX_DATA).
    /// </summary>
    public int Read(ulong streamId, Span<byte> destination, out bool finished)
    {
        finished = false;
        if (!_streams.TryGetValue(streamId, out var stream) || stream.Receive is null) return 0;
        var available = stream.Receive.Available;
        var count = Math.Min(available.Length, destination.Length);
        available[..count].CopyTo(destination);
        stream.Receive.Consume(count);
        _dataConsumed += count;
        var readOffset = (long)stream.Receive.ReadOffset;

        // RFC 9000 §4.2: grant more credit when half the window is used, so the peer never waits a round trip.
        if (stream.FinalSize is null && !stream.ResetReceived && stream.ReceiveLimit - readOffset < stream.ReceiveWindow / 2)
        {
            stream.ReceiveLimit = readOffset + stream.ReceiveWindow;
            stream.MaxStreamDataPending = true;
        }
        if (_maxDataAdvertised - _dataConsumed < _options.ConnectionReceiveWindow / 2)
        {
            _maxDataAdvertised = _dataConsumed + _options.ConnectionReceiveWindow;
            _maxDataPending = true;
        }

        if (stream.FinalSize is { } finalSize && readOffset == finalSize)
        {
            finished = true;
            stream.FinDelivered = true;
            TryRetireStream(stream);
        }
        return count;
    }

    /// <summary>Abandons our sending side with RESET_STREAM (RFC 9000 §19.4).</summary>
    public void ResetStream(ulong streamId, ulong applicationErrorCode)
    {
        if (!_streams.TryGetValue(streamId, out var stream) || stream.Send is null || stream.ResetPending || stream.ResetSent) return;
        if (stream.Send.IsFullyAcknowledged) return;
        stream.ResetPending = true;
        stream.ResetErrorCode = applicationErrorCode;
    }

    /// <summary>Asks the peer to stop sending on the stream with STOP_SENDING (RFC 9000 §19.5).</summary>
    public void StopSending(ulong streamId, ulong applicationErrorCode)
    {
        if (!_streams.TryGetValue(streamId, out var stream) || stream.Receive is null || stream.ReceiveDone) return;
        stream.StopSendingPending = true;
        stream.StopSendingErrorCode = applicationErrorCode;
    }

    /// <summary>The streams open now (for tests and diagnostics).</summary>
    public int OpenStreamCount => _streams.Count;

    private QuicStream NewStream(ulong id)
    {
        var serverInitiated = (id & 0x1) != 0;
        var bidirectional = (id & 0x2) == 0;
        long sendLimit = 0;
        if (_peerParameters is { } peer)
        {
            // RFC 9000 §18.2: the client's bidi_local limits what it receives on streams it opened, bidi_remote on
            // streams we opened, and uni on our unidirectional streams.
            sendLimit = (long)(bidirectional
                ? serverInitiated ? peer.InitialMaxStreamDataBidiRemote : peer.InitialMaxStreamDataBidiLocal
                : serverInitiated ? peer.InitialMaxStreamDataUni : 0);
        }
        return new QuicStream(id, _options.StreamReceiveWindow, sendLimit);
    }

    /// <summary>
    /// The stream a frame names, creating it (and every lower one of its kind, RFC 9000 §3.2) when the client opens it;
    /// null when it was already closed and forgotten.
    /// </summary>
    private QuicStream? GetOrOpenPeerStream(ulong id, ulong rawType)
    {
        if (_streams.TryGetValue(id, out var stream)) return stream;
        var index = (long)(id >> 2);
        var serverInitiated = (id & 0x1) != 0;
        var bidirectional = (id & 0x2) == 0;
        if (serverInitiated)
        {
            // RFC 9000 §19.8: a frame for a stream we have not opened yet is a STREAM_STATE_ERROR.
            var next = bidirectional ? _nextServerBidiIndex : _nextServerUniIndex;
            if (index >= next)
                throw new QuicTransportException(QuicTransportErrorCode.StreamStateError, $"Stream {id} was not opened by the server.", rawType);
            return null;
        }

        var limit = bidirectional ? _maxStreamsBidiAdvertised : _maxStreamsUniAdvertised;
        // RFC 9000 §4.6: a stream beyond the advertised limit is a STREAM_LIMIT_ERROR.
        if (index >= limit)
            throw new QuicTransportException(QuicTransportErrorCode.StreamLimitError, $"Stream {id} is beyond the limit of {limit} streams.", rawType);
        ref var nextIndex = ref bidirectional ? ref _nextClientBidiIndex : ref _nextClientUniIndex;
        if (index < nextIndex) return null; // opened before and closed since
        for (var i = nextIndex; i <= index; i++)
        {
            var openId = ((ulong)i << 2) | (id & 0x3);
            _streams[openId] = NewStream(openId);
        }
        nextIndex = index + 1;
        return _streams[id];
    }

    private void CheckReceivableStream(ulong id, ulong rawType)
    {
        // RFC 9000 §19.8, §19.13: receiving on our own unidirectional stream is a STREAM_STATE_ERROR.
        if ((id & 0x3) == 0x3)
            throw new QuicTransportException(QuicTransportErrorCode.StreamStateError, $"Stream {id} is send-only for the client.", rawType);
        GetOrOpenPeerStream(id, rawType);
    }

    private void OnStreamFrame(StreamFrame frame, ulong rawType)
    {
        CheckReceivableStream(frame.StreamId, rawType);
        var stream = GetOrOpenPeerStream(frame.StreamId, rawType);
        if (stream is null || stream.ResetReceived || stream.Receive is null) return;
        var end = (long)frame.Offset + frame.Data.Length;

        // RFC 9000 §4.5: the final size cannot change, and no data may lie beyond it.
        if (stream.FinalSize is { } finalSize && (end > finalSize || (frame.Fin && end != finalSize)))
            throw new QuicTransportException(QuicTransportErrorCode.FinalSizeError, $"Stream {frame.StreamId} data passes its final size.", rawType);
        if (frame.Fin && end < stream.HighestReceived)
            throw new QuicTransportException(QuicTransportErrorCode.FinalSizeError, $"Stream {frame.StreamId} FIN below data already received.", rawType);
        // RFC 9000 §4.1: data beyond the advertised limits is a FLOW_CONTROL_ERROR.
        if (end > stream.ReceiveLimit)
            throw new QuicTransportException(QuicTransportErrorCode.FlowControlError, $"Stream {frame.StreamId} data to offset {end} exceeds its limit {stream.ReceiveLimit}.", rawType);
        if (end > stream.HighestReceived)
        {
            var growth = end - stream.HighestReceived;
            if (_dataReceived + growth > _maxDataAdvertised)
                throw new QuicTransportException(QuicTransportErrorCode.FlowControlError, "Stream data exceeds the connection's MAX_DATA.", rawType);
            _dataReceived += growth;
            stream.HighestReceived = end;
        }
        if (frame.Fin) stream.FinalSize = end;

        var before = stream.Receive.Available.Length;
        stream.Receive.Write(frame.Offset, frame.Data);
        var grew = stream.Receive.Available.Length > before;
        var atEnd = stream.FinalSize is { } size && (long)stream.Receive.ReadOffset + stream.Receive.Available.Length == size;
        if (grew || (frame.Fin && atEnd)) _events.Enqueue(new StreamDataAvailable(frame.StreamId));
    }

    private void OnResetStream(ResetStreamFrame frame)
    {
        const ulong rawType = (ulong)FrameType.ResetStream;
        CheckReceivableStream(frame.StreamId, rawType);
        var stream = GetOrOpenPeerStream(frame.StreamId, rawType);
        if (stream is null || stream.Receive is null || stream.ResetReceived) return;
        var finalSize = (long)frame.FinalSize;
        // RFC 9000 §4.5: the final size must agree with what was received and any earlier final size.
        if ((stream.FinalSize is { } known && known != finalSize) || finalSize < stream.HighestReceived)
            throw new QuicTransportException(QuicTransportErrorCode.FinalSizeError, $"RESET_STREAM final size {finalSize} contradicts stream {frame.StreamId}.", rawType);
        if (finalSize > stream.ReceiveLimit)
            throw new QuicTransportException(QuicTransportErrorCode.FlowControlError, $"RESET_STREAM final size {finalSize} exceeds the stream limit.", rawType);
        var growth = finalSize - stream.HighestReceived;
        if (_dataReceived + growth > _maxDataAdvertised)
            throw new QuicTransportException(QuicTransportErrorCode.FlowControlError, "RESET_STREAM final size exceeds MAX_DATA.", rawType);
        _dataReceived += growth;
        // The reset stream's unread bytes count as consumed, so connection credit is not lost with them (§4.5).
        _dataConsumed += finalSize - (long)stream.Receive.ReadOffset;
        stream.HighestReceived = finalSize;
        stream.FinalSize = finalSize;
        stream.ResetReceived = true;
        _events.Enqueue(new StreamResetByPeer(frame.StreamId, frame.ApplicationErrorCode));
        TryRetireStream(stream);
    }

    private void OnStopSending(StopSendingFrame frame)
    {
        const ulong rawType = (ulong)FrameType.StopSending;
        // RFC 9000 §19.5: STOP_SENDING for a stream the client only sends on is a STREAM_STATE_ERROR.
        if ((frame.StreamId & 0x3) == 0x2)
            throw new QuicTransportException(QuicTransportErrorCode.StreamStateError, $"STOP_SENDING for receive-only stream {frame.StreamId}.", rawType);
        var stream = GetOrOpenPeerStream(frame.StreamId, rawType);
        if (stream?.Send is null) return;
        // RFC 9000 §3.5: answer with RESET_STREAM, using the peer's error code.
        if (!stream.ResetSent && !stream.ResetPending && !stream.Send.IsFullyAcknowledged)
        {
            stream.ResetPending = true;
            stream.ResetErrorCode = frame.ApplicationErrorCode;
        }
        _events.Enqueue(new StreamStopSendingRequested(frame.StreamId, frame.ApplicationErrorCode));
    }

    private void OnMaxData(ulong limit)
    {
        if ((long)limit <= _peerMaxData) return;
        _peerMaxData = (long)limit;
        foreach (var stream in _streams.Values)
        {
            if (stream.Send is { } send && !send.Pending.IsEmpty) _events.Enqueue(new StreamWritable(stream.Id));
        }
    }

    private void OnMaxStreamData(ulong streamId, ulong limit)
    {
        const ulong rawType = (ulong)FrameType.MaxStreamData;
        // RFC 9000 §19.10: MAX_STREAM_DATA for a stream we cannot send on is a STREAM_STATE_ERROR.
        if ((streamId & 0x3) == 0x2)
            throw new QuicTransportException(QuicTransportErrorCode.StreamStateError, $"MAX_STREAM_DATA for receive-only stream {streamId}.", rawType);
        var stream = GetOrOpenPeerStream(streamId, rawType);
        if (stream?.Send is null || (long)limit <= stream.SendLimit) return;
        stream.SendLimit = (long)limit;
        _events.Enqueue(new StreamWritable(streamId));
    }

    /// <summary>Forgets a stream both of whose halves are done; a client stream's slot returns with MAX_STREAMS.</summary>
    private void TryRetireStream(QuicStream stream)
    {
        if (!stream.ReceiveDone || !stream.SendDone) return;
        if (!_streams.Remove(stream.Id)) return;
        if (!stream.IsClientInitiated) return;
        // RFC 9000 §4.6: raise the limit as streams close, so the client can keep the same number open.
        if (stream.IsBidirectional)
        {
            _clientBidiClosed++;
            _maxStreamsBidiAdvertised = _options.MaxBidirectionalStreams + _clientBidiClosed;
            _maxStreamsBidiPending = true;
        }
        else
        {
            _clientUniClosed++;
            _maxStreamsUniAdvertised = _options.MaxUnidirectionalStreams + _clientUniClosed;
            _maxStreamsUniPending = true;
        }
    }
}
