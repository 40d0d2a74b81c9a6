using System.Buffers;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Hpack;

namespace Hyper.Http2;

// Header blocks: HEADERS + CONTINUATION assembly with its flood limits, HPACK decoding, and requests and
// trailers made from the decoded fields (RFC 9113 §4.3, §6.2, §6.10, §8).
public sealed partial class Http2Connection
{
    private readonly HeaderBlockBuffer _receiveBuffer;
    private readonly RequestHeaderCollector _collector = new();
    private int _blockStreamId;
    private int _continuations;
    private bool _blockEndStream;
    private bool _blockSelfDependent;
    private long _blockStartedAt;

    private void OnHeaders(in Http2FrameHeader header, in ReadOnlySequence<byte> payload, long now, IBufferWriter<byte> output)
    {
        // §6.2
        if (header.StreamId == 0) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "HEADERS on stream 0");
        if (header.StreamId % 2 == 0) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "HEADERS on a server-initiated stream id"); // §5.1.1
        var fragment = RemovePadding(header, payload);
        _blockSelfDependent = false;
        if (header.Has(Http2FrameFlags.Priority))
        {
            if (fragment.Length < 5) throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "HEADERS too short for its priority fields");
            var dependency = (int)(ReadUInt32(fragment) & 0x7FFF_FFFF);
            // §5.3.1: a stream cannot depend on itself; the block is still decoded to keep HPACK in step.
            _blockSelfDependent = dependency == header.StreamId;
            fragment = fragment.Slice(5);
        }
        var endHeaders = header.Has(Http2FrameFlags.EndHeaders);
        _blockEndStream = header.Has(Http2FrameFlags.EndStream);
        if (fragment.IsEmpty && !endHeaders && !_blockEndStream) CountGlitch(now, "empty HEADERS frames"); // H2-08
        _blockStreamId = header.StreamId;
        _continuations = 0;
        _blockStartedAt = now;
        AppendFragment(fragment);
        if (endHeaders) CompleteHeaderBlock(now, output);
    }

    private void OnContinuation(in Http2FrameHeader header, in ReadOnlySequence<byte> payload, long now, IBufferWriter<byte> output)
    {
        // §6.10: only right after HEADERS without END_HEADERS, on the same stream (checked in ProcessFrame).
        if (_blockStreamId == 0) throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "CONTINUATION without an open header block");
        // H2-12: at most h2_max_continuation_frames per block, empty ones included.
        if (++_continuations > _limits.MaxContinuationFrames)
            throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, "too many CONTINUATION frames");
        AppendFragment(payload);
        if (header.Has(Http2FrameFlags.EndHeaders)) CompleteHeaderBlock(now, output);
    }

    private void AppendFragment(in ReadOnlySequence<byte> fragment)
    {
        // H2-12: a block larger than the decoded-list limit cannot be a valid request; refuse before decoding.
        if (!_receiveBuffer.TryAppend(fragment))
            throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, "header block too large");
    }

    private void CompleteHeaderBlock(long now, IBufferWriter<byte> output)
    {
        var streamId = _blockStreamId;
        _blockStreamId = 0;
        _streams.TryGetValue(streamId, out var existing);
        var isTrailers = existing is not null;
        _collector.Reset(isTrailers);
        try
        {
            _decoder.Decode(_receiveBuffer.Block, _collector);
        }
        catch (HeaderListTooLargeException ex)
        {
            // H2-09/H2-10: decoding stopped mid-block, so the HPACK state is gone: a connection error.
            throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, $"header list too large: {ex.Message}");
        }
        catch (HpackDecodingException ex)
        {
            throw new Http2ConnectionException(Http2ErrorCode.CompressionError, ex.Message); // §4.3
        }
        finally
        {
            _receiveBuffer.Clear();
        }
        _collector.Complete();

        if (existing is not null)
        {
            OnTrailers(existing, now, output);
            return;
        }
        if (streamId <= _lastStreamId)
        {
            // §5.1.1: ids only grow. A HEADERS on a stream the client closed is STREAM_CLOSED (§5.1).
            if (_recentlyClosed.Find(streamId) is { } resetByUs)
            {
                if (resetByUs) return;
                throw new Http2ConnectionException(Http2ErrorCode.StreamClosed, "HEADERS on a closed stream");
            }
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "stream id lower than a previous one");
        }
        _lastStreamId = streamId;
        // §6.8: after the final GOAWAY, streams above its last id are ignored. The first GOAWAY of a graceful
        // shutdown names 2^31-1, so requests already in flight when it was sent are still served.
        if (_finalGoAwaySent) return;
        if (_blockSelfDependent)
        {
            ResetUnopened(streamId, Http2ErrorCode.ProtocolError, now, output);
            return;
        }
        if (!TryAdmit(streamId, now, output)) return;
        if (_collector.Error is { } malformed)
        {
            // §8.1.1: a malformed request is a stream error, never a GOAWAY (one of Hypercorn's bugs).
            ResetUnopened(streamId, Http2ErrorCode.ProtocolError, now, output);
            LastStreamError = malformed;
            return;
        }
        OpenStream(streamId, now, output);
    }

    /// <summary>Why the last stream was reset as malformed, for tests and logs.</summary>
    public string? LastStreamError { get; private set; }

    /// <summary>
    /// Concurrency is counted in running handlers, not open protocol streams (docs/security.md B1 principle 2):
    /// a stream over the limit is refused with REFUSED_STREAM and the connection goes on (H2-11, H2-14).
    /// </summary>
    private bool TryAdmit(int streamId, long now, IBufferWriter<byte> output)
    {
        var busy = _openStreams >= _limits.MaxConcurrentStreams
            || _busySlots >= _limits.MaxConcurrentStreams
            || _streams.Count >= _limits.MaxTrackedStreams;
        if (!busy) return true;
        Http2FrameWriter.WriteRstStream(output, streamId, Http2ErrorCode.RefusedStream);
        _recentlyClosed.Add(streamId, resetByUs: true);
        if (!_refusals.TryTake(now))
            throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, "too many refused streams");
        return false;
    }

    private void OpenStream(int streamId, long now, IBufferWriter<byte> output)
    {
        var c = _collector;
        var isConnect = c.Method == "CONNECT";
        // RFC 8441 §4: an extended CONNECT (with :protocol) is a CONNECT that names the protocol the stream carries
        // (a WebSocket). It is only allowed after we sent SETTINGS_ENABLE_CONNECT_PROTOCOL = 1.
        var isExtendedConnect = isConnect && c.Protocol is not null && _settings.EnableConnectProtocol;
        // §8.3.1: every request has :method, :scheme and :path (non-empty), except CONNECT (§8.5); an extended
        // CONNECT has :scheme, :path and :authority (RFC 8441 §4).
        string? missing = c.Method is null ? ":method"
            : isExtendedConnect ? (c.Authority is null ? ":authority" : c.Scheme is null ? ":scheme" : c.Path is null || c.Path.Length == 0 ? ":path" : null)
            : isConnect ? (c.Authority is null ? ":authority" : null)
            : c.Scheme is null ? ":scheme"
            : c.Path is null || c.Path.Length == 0 ? ":path"
            : null;
        if (missing is not null || (!isConnect || isExtendedConnect) && !IsValidPath(c.Path!, c.Method!) || c.Protocol is not null && !isConnect)
        {
            ResetUnopened(streamId, Http2ErrorCode.ProtocolError, now, output);
            LastStreamError = missing is null ? "invalid :path or :protocol" : $"missing {missing}";
            return;
        }
        var endStream = _blockEndStream;
        if (endStream && c.ContentLength is > 0)
        {
            ResetUnopened(streamId, Http2ErrorCode.ProtocolError, now, output); // §8.1.1: content-length without DATA
            LastStreamError = "content-length with an empty body";
            return;
        }
        var stream = new Http2Stream(streamId, _peerInitialWindow, _limits.InitialStreamWindowSize)
        {
            ContentLength = c.ContentLength,
            IsHead = c.Method == "HEAD",
            IsTunnel = isExtendedConnect,
            // A tunnel (RFC 8441) carries another protocol whose silences are its own: no body rate, as on HTTP/1.1
            // after a 101, where the rate stops with the request body.
            MinBodyRate = isExtendedConnect ? 0 : _settings.MinRequestBodyRate,
            MinBodyRateGrace = _settings.MinRequestBodyRateGrace,
            ExpectsContinue = c.ExpectsContinue,
            HandlerRunning = true,
            HoldsSlot = true,
        };
        _streams.Add(streamId, stream);
        _openStreams++;
        _handlersRunning++;
        _busySlots++;
        _requestCount++;
        if (isExtendedConnect)
        {
            // RFC 8441 §5: the stream's DATA frames carry the protocol's bytes both ways; a 2xx answer opens it.
            stream.State = endStream ? Http2StreamState.HalfClosedRemote : Http2StreamState.Open;
            _events.Enqueue(new RequestReceived(streamId, BuildHead(c, endStream)));
            if (endStream) EndRequest(stream, trailers: null, output);
        }
        else if (isConnect)
        {
            // Plain CONNECT (a TCP tunnel, RFC 9113 §8.5), or :protocol without our SETTINGS_ENABLE_CONNECT_PROTOCOL: not served.
            stream.State = endStream ? Http2StreamState.HalfClosedRemote : Http2StreamState.Open;
            _events.Enqueue(new RequestReceived(streamId, BuildHead(c, endStream)));
            _events.Enqueue(new RequestRejected(streamId, 501, "CONNECT is not supported"));
        }
        else
        {
            _events.Enqueue(new RequestReceived(streamId, BuildHead(c, endStream)));
            if (c.ListSize > _limits.MaxHeaderListSize)
            {
                // Between the advertised list size and the hard limit: decoded fine, answered 431 (§6.5.2 is advisory).
                stream.State = endStream ? Http2StreamState.HalfClosedRemote : Http2StreamState.Open;
                stream.BodyRefused = !endStream;
                _events.Enqueue(new RequestRejected(streamId, 431, "request header fields too large"));
            }
            else if (Core.Http.PathDecoder.ContainsEncodedNul(PathWithoutQuery(c.Path!)))
            {
                // Not malformed in HTTP/2 terms (§8.3.1 asks only for a non-empty path), but a decoded NUL is refused
                // as over HTTP/1.1: answered 400, the application never sees it.
                stream.State = endStream ? Http2StreamState.HalfClosedRemote : Http2StreamState.Open;
                stream.BodyRefused = !endStream;
                _events.Enqueue(new RequestRejected(streamId, 400, "path encodes a NUL (%00)"));
            }
            else if (_settings.MaxBodySize > 0 && c.ContentLength > _settings.MaxBodySize)
            {
                // The declared body is refused before it comes (RFC 9110 §15.5.14); DATA already on its way is dropped.
                stream.BodyRefused = true;
                _events.Enqueue(new RequestRejected(streamId, 413, "request body too large"));
            }
            else if (endStream)
            {
                EndRequest(stream, trailers: null, output);
            }
        }
        // The connection's request cap (like HTTP/1.1's keep_alive_max_requests): no new streams after this one.
        if (_requestCount >= _settings.MaxRequests) BeginGracefulGoAway(now, output, immediateFinal: true);
    }

    private static ReadOnlySpan<byte> PathWithoutQuery(byte[] path)
    {
        var query = Array.IndexOf(path, (byte)'?');
        return query < 0 ? path : path.AsSpan(0, query);
    }

    private static bool IsValidPath(byte[] path, string method) =>
        path[0] == (byte)'/' || path is [(byte)'*'] && method == "OPTIONS"; // §8.3.1

    private static RequestHead BuildHead(RequestHeaderCollector c, bool endStream)
    {
        var path = c.Path ?? [];
        var query = Array.IndexOf(path, (byte)'?');
        return new RequestHead
        {
            Method = c.Method!,
            RawPath = query < 0 ? path : path.AsMemory(0, query),
            QueryString = query < 0 ? ReadOnlyMemory<byte>.Empty : path.AsMemory(query + 1),
            HttpVersion = "2",
            Headers = c.Fields.ToArray(),
            Authority = c.Authority ?? Host(c),
            HasBody = !endStream,
            ContentLength = c.ContentLength,
            ExpectsContinue = c.ExpectsContinue && !endStream,
            Protocol = c.Protocol is null ? null : System.Text.Encoding.ASCII.GetString(c.Protocol),
        };
    }

    private static ReadOnlyMemory<byte> Host(RequestHeaderCollector c)
    {
        foreach (var field in c.Fields)
        {
            if (field.Name.Span.SequenceEqual("host"u8)) return field.Value;
        }
        return ReadOnlyMemory<byte>.Empty;
    }

    private void OnTrailers(Http2Stream stream, long now, IBufferWriter<byte> output)
    {
        if (stream.ReceivingClosed)
        {
            if (_recentlyClosed.Find(stream.Id) == true) return;
            // §5.1 half-closed (remote): STREAM_CLOSED, as a connection error (MadeYouReset, H2-13).
            throw new Http2ConnectionException(Http2ErrorCode.StreamClosed, "HEADERS after END_STREAM");
        }
        // §8.1: a second HEADERS is trailers and must end the stream; trailers carry no pseudo-header.
        if (!_blockEndStream || _collector.Error is not null)
            throw new Http2StreamException(stream.Id, Http2ErrorCode.ProtocolError, _collector.Error ?? "trailers without END_STREAM");
        if (stream.ContentLength is { } declared && stream.ReceivedBodyBytes != declared)
            throw new Http2StreamException(stream.Id, Http2ErrorCode.ProtocolError, "body length differs from content-length");
        EndRequest(stream, _collector.Fields.ToArray(), output);
    }
}
