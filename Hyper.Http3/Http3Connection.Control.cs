using Hyper.Core.Protocols;
using Hyper.Http3.Frames;

namespace Hyper.Http3;

// The client's unidirectional streams (RFC 9114 §6.2): its control stream, its QPACK encoder and decoder streams, and
// the unknown types it may open (grease, extensions), which are refused with STOP_SENDING and discarded.
public sealed partial class Http3Connection
{
    private readonly UnidirectionalStreams _unidirectional = new();
    private readonly Dictionary<long, UnidirectionalStreamRole> _unidirectionalRoles = [];
    private Http3FrameReader? _controlReader;
    private long _controlSkippedCounted;
    private long? _peerMaxPushId;
    private long _peerGoAwayId = long.MaxValue;

    /// <summary>Octets read and dropped from unknown unidirectional streams, for diagnostics.</summary>
    public long DiscardedOctets { get; private set; }

    private void ReceiveUnidirectional(long streamId, ReadOnlySpan<byte> data, bool fin, long now)
    {
        if (!_unidirectionalRoles.TryGetValue(streamId, out var role))
        {
            if (!_unidirectional.TryReadType(streamId, data, out role, out var typeLength))
            {
                if (fin) _unidirectional.OnStreamClosed(streamId);
                return;
            }

            data = data[typeLength..];
            _unidirectionalRoles[streamId] = role;
            switch (role)
            {
                case UnidirectionalStreamRole.Control:
                    _controlReader = new Http3FrameReader(Http3StreamKind.Control, _readerOptions);
                    break;
                case UnidirectionalStreamRole.Ignore:
                    // RFC 9114 §6.2: "Recipients of unknown stream types MUST either abort reading of the stream or
                    // discard incoming data without further processing." Aborting bounds what the peer can make us
                    // read to what it already sent; each such stream also costs a glitch (catalogue Q-10).
                    _actions.Enqueue(new StopReceivingStream(streamId, (long)Http3ErrorCode.StreamCreationError));
                    CountGlitch(now, "unknown unidirectional streams");
                    break;
            }
        }

        switch (role)
        {
            case UnidirectionalStreamRole.Control:
                ReadControl(data, now);
                break;
            case UnidirectionalStreamRole.QpackEncoder:
                _decoder.ReceiveEncoderStream(data);
                DecodeUnblockedStreams(now);
                break;
            case UnidirectionalStreamRole.QpackDecoder:
                _encoder.ReceiveDecoderStream(data);
                break;
            default:
                DiscardedOctets += data.Length;
                break;
        }

        if (fin) OnUnidirectionalClosed(streamId);
    }

    private void OnUnidirectionalReset(long streamId) => OnUnidirectionalClosed(streamId);

    private void OnUnidirectionalClosed(long streamId)
    {
        // Closing the control stream or a QPACK stream is H3_CLOSED_CRITICAL_STREAM (RFC 9114 §6.2.1, RFC 9204 §4.2).
        _unidirectional.OnStreamClosed(streamId);
        _unidirectionalRoles.Remove(streamId);
    }

    private void ReadControl(ReadOnlySpan<byte> data, long now)
    {
        var reader = _controlReader!;
        while (true)
        {
            var kind = reader.Read(data, out var consumed, out var payload, out var value);
            data = data[consumed..];
            switch (kind)
            {
                case Http3FrameEventKind.NeedMoreData:
                    CountSkippedFrames(reader.SkippedFrames, ref _controlSkippedCounted, now);
                    return;

                case Http3FrameEventKind.Settings:
                    // RFC 9114 §7.2.4: the peer's settings; a duplicate or HTTP/2-only identifier is H3_SETTINGS_ERROR.
                    PeerSettings = Http3Settings.Decode(payload);
                    break;

                case Http3FrameEventKind.GoAway:
                    // RFC 9114 §5.2: a client's GOAWAY names a push id, and may only go down. We never push, so it
                    // changes nothing else: the client finishes its requests and closes.
                    if (value > _peerGoAwayId)
                    {
                        throw new Http3Exception(Http3ErrorCode.IdError, $"GOAWAY id {value} is above the earlier {_peerGoAwayId} (RFC 9114 §5.2).");
                    }

                    _peerGoAwayId = value;
                    break;

                case Http3FrameEventKind.MaxPushId:
                    // RFC 9114 §7.2.7: MAX_PUSH_ID cannot go down.
                    if (value < _peerMaxPushId)
                    {
                        throw new Http3Exception(Http3ErrorCode.IdError, $"MAX_PUSH_ID {value} is below the earlier {_peerMaxPushId} (RFC 9114 §7.2.7).");
                    }

                    _peerMaxPushId = value;
                    break;

                case Http3FrameEventKind.CancelPush:
                    // RFC 9114 §7.2.3: a push id above what MAX_PUSH_ID allowed is H3_ID_ERROR. Below it there is
                    // nothing to cancel: we never promise a push.
                    if (_peerMaxPushId is not { } max || value > max)
                    {
                        throw new Http3Exception(Http3ErrorCode.IdError, $"CANCEL_PUSH for push {value}, beyond MAX_PUSH_ID (RFC 9114 §7.2.3).");
                    }

                    break;
            }
        }
    }

    /// <summary>Unknown and grease frames are legal but cost a glitch each, so a flood of them ends the connection .</summary>
    private void CountSkippedFrames(long skipped, ref long counted, long now)
    {
        for (; counted < skipped; counted++) CountGlitch(now, "unknown frames");
    }
}
