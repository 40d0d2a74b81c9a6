using System.Buffers;
using System.Buffers.Binary;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;

namespace Hyper.Http2;

// Frames received: one handler per frame type, each enforcing its section of RFC 9113 §6.
public sealed partial class Http2Connection
{
    private long _lastEventAt;

    private void ProcessFrame(in Http2FrameHeader header, in ReadOnlySequence<byte> payload, long now, IBufferWriter<byte> output)
    {
        _lastEventAt = now;
        // RFC 9113 §6.10: while a header block is open, only its CONTINUATIONs may arrive.
        if (_blockStreamId != 0 && (header.Type != Http2FrameType.Continuation || header.StreamId != _blockStreamId))
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "frame interleaved in a header block");
        try
        {
            switch (header.Type)
            {
                case Http2FrameType.Data: OnData(header, payload, now, output); break;
                case Http2FrameType.Headers: OnHeaders(header, payload, now, output); break;
                case Http2FrameType.Priority: OnPriority(header, payload, now); break;
                case Http2FrameType.RstStream: OnRstStream(header, payload, now, output); break;
                case Http2FrameType.Settings: OnSettings(header, payload, now, output); break;
                case Http2FrameType.PushPromise:
                    // RFC 9113 §8.4: a client cannot push.
                    throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "PUSH_PROMISE from a client");
                case Http2FrameType.Ping: OnPing(header, payload, now, output); break;
                case Http2FrameType.GoAway: OnGoAway(header, payload, output); break;
                case Http2FrameType.WindowUpdate: OnWindowUpdate(header, payload, output); break;
                case Http2FrameType.Continuation: OnContinuation(header, payload, now, output); break;
                default:
                    // RFC 9113 §5.5: unknown frame types are ignored.
                    break;
            }
        }
        catch (Http2StreamException ex)
        {
            if (_streams.TryGetValue(ex.StreamId, out var stream)) ResetStream(stream, ex.Code, ex.Message, now, output);
            else ResetUnopened(ex.StreamId, ex.Code, now, output);
        }
    }

    /// <summary>
    /// A stream id above any opened is idle (§5.1): most frames on it are a PROTOCOL_ERROR. Client streams are odd,
    /// the ones we promised even (§5.1.1).
    /// </summary>
    private bool IsIdle(int streamId) => streamId % 2 == 0 ? streamId >= _nextPushId : streamId > _lastStreamId;

    private void OnData(in Http2FrameHeader header, in ReadOnlySequence<byte> payload, long now, IBufferWriter<byte> output)
    {
        if (header.StreamId == 0) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "DATA on stream 0"); // §6.1
        if (IsIdle(header.StreamId)) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "DATA on an idle stream");
        // §6.9.1: the whole payload, padding included, counts against both windows.
        if (header.Length > _receiveWindow)
            throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "DATA beyond the connection window");
        _receiveWindow -= header.Length;
        var data = RemovePadding(header, payload);
        var padding = header.Length - (int)data.Length;

        if (!_streams.TryGetValue(header.StreamId, out var stream) || stream.State == Http2StreamState.Closed)
        {
            // Frames in flight on a stream we reset are tolerated (§5.4.2); the window they used comes back at once.
            ReturnToConnectionWindow(header.Length, output);
            if (_recentlyClosed.Find(header.StreamId) == true) return;
            throw new Http2ConnectionException(Http2ErrorCode.StreamClosed, "DATA on a closed stream");
        }
        if (stream.ReceivingClosed)
        {
            // §5.1 half-closed (remote): STREAM_CLOSED. A connection error, not a reset (MadeYouReset, H2-13).
            throw new Http2ConnectionException(Http2ErrorCode.StreamClosed, "DATA after END_STREAM");
        }
        if (header.Length > stream.ReceiveWindow)
            throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "DATA beyond the stream window");
        stream.ReceiveWindow -= header.Length;
        if (stream.BodyRefused)
        {
            // Already answered (413): the body is nobody's, and its window goes back to the connection at once.
            ReturnToConnectionWindow(header.Length, output);
            if (header.Has(Http2FrameFlags.EndStream)) EndRequest(stream, trailers: null, output);
            return;
        }
        if (padding > 0)
        {
            // Padding is never handed to the application: its window comes back now.
            ReturnToConnectionWindow(padding, output);
            ReturnToStreamWindow(stream, padding, output);
        }
        var endStream = header.Has(Http2FrameFlags.EndStream);
        if (data.IsEmpty && !endStream) CountGlitch(now, "empty DATA frames"); // H2-08
        stream.ReceivedBodyBytes += data.Length;
        stream.BodyClockBytes += header.Length; // padding is progress too: the client did send it
        // RFC 9113 §8.1.1: a body longer than its content-length is malformed.
        if (stream.ContentLength is { } declared && (stream.ReceivedBodyBytes > declared || endStream && stream.ReceivedBodyBytes != declared))
            throw new Http2StreamException(stream.Id, Http2ErrorCode.ProtocolError, "body length differs from content-length");
        // A tunnel's DATA is not a request body (RFC 8441 §5): its protocol limits it (websocket_max_message_size).
        if (_settings.MaxBodySize > 0 && !stream.IsTunnel && stream.ReceivedBodyBytes > _settings.MaxBodySize)
        {
            RejectBodyTooLarge(stream, now, output);
            return;
        }
        if (!data.IsEmpty)
        {
            stream.Unconsumed += data.Length;
            _events.Enqueue(new RequestBodyReceived(stream.Id, data));
        }
        if (endStream) EndRequest(stream, trailers: null, output);
    }

    private static ReadOnlySequence<byte> RemovePadding(in Http2FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        if (!header.Has(Http2FrameFlags.Padded)) return payload;
        // §6.1: Pad Length (8); padding as long as or longer than the payload is a PROTOCOL_ERROR.
        if (payload.IsEmpty) throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "padded frame without a pad length");
        var padLength = payload.FirstSpan[0];
        if (padLength >= payload.Length) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "padding exceeds the payload");
        return payload.Slice(1, payload.Length - 1 - padLength);
    }

    private void EndRequest(Http2Stream stream, IReadOnlyList<Core.Application.HeaderField>? trailers, IBufferWriter<byte> output)
    {
        _events.Enqueue(new RequestBodyEnded(stream.Id, trailers));
        if (stream.State == Http2StreamState.HalfClosedLocal)
        {
            // The response ended first (StreamCompleted went out then): both sides are done now (§5.1).
            CloseStream(stream);
        }
        else
        {
            stream.State = Http2StreamState.HalfClosedRemote;
        }
    }

    private void RejectBodyTooLarge(Http2Stream stream, long now, IBufferWriter<byte> output)
    {
        if (stream.ResponseStarted)
        {
            ResetStream(stream, Http2ErrorCode.Cancel, "request body too large", now, output);
            return;
        }
        // Answer 413 through the stream layer (Date, Server, access log); the rest of the body is not wanted, so
        // it is dropped as it comes and the request side is reset once the response ends (§8.1).
        stream.BodyRefused = true;
        _events.Enqueue(new RequestRejected(stream.Id, 413, "request body too large"));
    }

    private void OnPriority(in Http2FrameHeader header, in ReadOnlySequence<byte> payload, long now)
    {
        // §6.3. No priority tree is kept (RFC 9113 §5.3.2 deprecates it); every PRIORITY costs a glitch (H2-03).
        if (header.StreamId == 0) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "PRIORITY on stream 0");
        // Wrong length would be a stream error; a connection error is allowed too and defeats MadeYouReset (H2-13).
        if (header.Length != 5) throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "PRIORITY length is not 5");
        var dependency = (int)(ReadUInt32(payload) & 0x7FFF_FFFF);
        if (dependency == header.StreamId)
            throw new Http2StreamException(header.StreamId, Http2ErrorCode.ProtocolError, "stream depends on itself"); // §5.3.1
        CountGlitch(now, "PRIORITY frames");
    }

    private void OnRstStream(in Http2FrameHeader header, in ReadOnlySequence<byte> payload, long now, IBufferWriter<byte> output)
    {
        // §6.4
        if (header.StreamId == 0) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "RST_STREAM on stream 0");
        if (header.Length != 4) throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "RST_STREAM length is not 4");
        if (IsIdle(header.StreamId)) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "RST_STREAM on an idle stream");
        // Rapid Reset backstop (H2-11): the handler keeps its slot anyway; this bucket bounds the frame rate.
        if (!_resets.TryTake(now)) throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, "too many RST_STREAM frames");
        if (!_streams.TryGetValue(header.StreamId, out var stream) || stream.State == Http2StreamState.Closed) return;
        var code = (Http2ErrorCode)ReadUInt32(payload);
        _events.Enqueue(new StreamAborted(stream.Id, $"the client reset the stream ({code})"));
        CloseStream(stream);
    }

    private void OnSettings(in Http2FrameHeader header, in ReadOnlySequence<byte> payload, long now, IBufferWriter<byte> output)
    {
        // §6.5
        if (header.StreamId != 0) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "SETTINGS on a stream");
        if (header.Has(Http2FrameFlags.Ack))
        {
            if (header.Length != 0) throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "SETTINGS ACK with a payload");
            return;
        }
        if (header.Length % 6 != 0) throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "SETTINGS length is not a multiple of 6");
        if (header.Length / 6 > _limits.MaxSettingsEntries)
            throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, "too many SETTINGS entries"); // H2-05
        if (!_controls.TryTake(now)) throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, "SETTINGS flood"); // H2-05
        Span<byte> entries = stackalloc byte[header.Length];
        payload.CopyTo(entries);
        for (var at = 0; at < entries.Length; at += 6)
        {
            var id = (Http2SettingsParameter)BinaryPrimitives.ReadUInt16BigEndian(entries[at..]);
            var value = BinaryPrimitives.ReadUInt32BigEndian(entries[(at + 2)..]);
            ApplySetting(id, value, output);
        }
        Http2FrameWriter.WriteSettingsAck(output);
    }

    private void ApplySetting(Http2SettingsParameter id, uint value, IBufferWriter<byte> output)
    {
        switch (id)
        {
            case Http2SettingsParameter.HeaderTableSize:
                _encoder.SetPeerMaxTableSize((int)Math.Min(value, int.MaxValue));
                break;
            case Http2SettingsParameter.EnablePush:
                if (value > 1) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "SETTINGS_ENABLE_PUSH is not 0 or 1");
                _peerEnablePush = value == 1;
                break;
            case Http2SettingsParameter.InitialWindowSize:
                if (value > int.MaxValue) throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1");
                // §6.9.2: the change applies to every open stream's window, which may go negative.
                var delta = (long)value - _peerInitialWindow;
                _peerInitialWindow = (int)value;
                foreach (var stream in _streams.Values)
                {
                    stream.SendWindow += delta;
                    if (stream.SendWindow > int.MaxValue)
                        throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "stream window above 2^31-1");
                    if (delta > 0) Enqueue(stream);
                }
                break;
            case Http2SettingsParameter.MaxFrameSize:
                if (value is < DefaultFrameSize or > 16_777_215)
                    throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "SETTINGS_MAX_FRAME_SIZE out of range");
                _peerMaxFrameSize = (int)value;
                break;
            case Http2SettingsParameter.EnableConnectProtocol:
                if (value > 1) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "SETTINGS_ENABLE_CONNECT_PROTOCOL is not 0 or 1");
                break;
            case Http2SettingsParameter.MaxConcurrentStreams:
                _peerMaxConcurrentStreams = (int)Math.Min(value, int.MaxValue);
                break;
            default:
                // MAX_CONCURRENT_STREAMS limits only pushes here; MAX_HEADER_LIST_SIZE is advisory; unknown ids are ignored (§6.5.2).
                break;
        }
    }

    private void OnPing(in Http2FrameHeader header, in ReadOnlySequence<byte> payload, long now, IBufferWriter<byte> output)
    {
        // §6.7
        if (header.StreamId != 0) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "PING on a stream");
        if (header.Length != 8) throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "PING length is not 8");
        var opaque = ReadUInt64(payload);
        if (header.Has(Http2FrameFlags.Ack))
        {
            if (opaque == ShutdownPingPayload) OnShutdownPingAcknowledged(output);
            return;
        }
        if (!_controls.TryTake(now)) throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, "PING flood"); // H2-02
        Http2FrameWriter.WritePing(output, opaque, ack: true);
    }

    private void OnGoAway(in Http2FrameHeader header, in ReadOnlySequence<byte> payload, IBufferWriter<byte> output)
    {
        // §6.8
        if (header.StreamId != 0) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "GOAWAY on a stream");
        if (header.Length < 8) throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "GOAWAY shorter than 8 bytes");
        // The client will open no more streams; those in flight finish, then the connection closes.
        _peerSentGoAway = true;
        MaybeFinishShutdown(output);
    }

    private void OnWindowUpdate(in Http2FrameHeader header, in ReadOnlySequence<byte> payload, IBufferWriter<byte> output)
    {
        // §6.9
        if (header.Length != 4) throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "WINDOW_UPDATE length is not 4");
        var increment = (int)(ReadUInt32(payload) & 0x7FFF_FFFF);
        if (header.StreamId == 0)
        {
            if (increment == 0) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "WINDOW_UPDATE of 0");
            _sendWindow += increment;
            // §6.9.1: a window above 2^31-1 is a FLOW_CONTROL_ERROR.
            if (_sendWindow > int.MaxValue) throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "connection window above 2^31-1");
            return;
        }
        if (IsIdle(header.StreamId)) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "WINDOW_UPDATE on an idle stream");
        // Allowed as a connection error, which MadeYouReset cannot exploit (H2-13).
        if (increment == 0) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "WINDOW_UPDATE of 0 on a stream");
        if (!_streams.TryGetValue(header.StreamId, out var stream) || stream.State == Http2StreamState.Closed) return;
        stream.SendWindow += increment;
        // §6.9.1: a stream error. h2spec (http2/6.9.1/3) accepts only RST_STREAM here, so this one stays a stream
        // error; the reset stream keeps its handler slot and costs a glitch, which bounds MadeYouReset (H2-13).
        if (stream.SendWindow > int.MaxValue) throw new Http2StreamException(stream.Id, Http2ErrorCode.FlowControlError, "stream window above 2^31-1");
        Enqueue(stream);
    }

    private static uint ReadUInt32(in ReadOnlySequence<byte> payload)
    {
        Span<byte> bytes = stackalloc byte[4];
        payload.Slice(0, 4).CopyTo(bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static ulong ReadUInt64(in ReadOnlySequence<byte> payload)
    {
        Span<byte> bytes = stackalloc byte[8];
        payload.Slice(0, 8).CopyTo(bytes);
        return BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }
}
