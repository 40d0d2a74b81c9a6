using Hyper.Core.Protocols;
using Hyper.Http3.Frames;
using Hyper.Http3.Qpack;

namespace Hyper.Http3;

// Request streams (RFC 9114 §4.1): HEADERS decoded with QPACK and validated, DATA handed out as body, trailers, the
// end of the request, and the resets and cancellations that cut one short.
public sealed partial class Http3Connection
{
    private long _highestRequestStreamId = -4;

    private int ReceiveRequestData(long streamId, ReadOnlyMemory<byte> data, bool fin, long now)
    {
        if (!_requests.TryGetValue(streamId, out var stream))
        {
            // Bytes still in flight for a stream we are done with (reset, refused, or finished).
            if (_closed.Contains(streamId)) return data.Length;
            stream = TryOpenRequestStream(streamId, now);
            if (stream is null) return data.Length;
        }

        if (stream.ReceiveDone) return data.Length;
        if (stream.Blocked || stream.InputPaused) return 0;

        var span = data.Span;
        var consumed = 0;
        try
        {
            while (true)
            {
                var kind = stream.Reader.Read(span[consumed..], out var used, out var payload, out _);
                consumed += used;
                if (kind == Http3FrameEventKind.NeedMoreData) break;

                var endsHere = fin && consumed == data.Length;
                if (kind == Http3FrameEventKind.Headers)
                {
                    OnHeadersFrame(stream, payload, endsHere, now);
                    if (stream.Blocked)
                    {
                        // RFC 9204 §2.1.2: the stream waits for the inserts its section needs; the rest of its bytes
                        // stay with the caller, held back by QUIC flow control, until ResumeStreamInput.
                        stream.FinAfterBlocked = endsHere;
                        return endsHere ? data.Length : consumed;
                    }
                }
                else if (kind == Http3FrameEventKind.Data)
                {
                    OnDataFrame(stream, data.Slice(consumed - payload.Length, payload.Length), now);
                }

                if (stream.ReceiveDone) return data.Length;
                if (stream.InputPaused) return consumed;
            }

            CountSkippedFrames(stream.Reader.SkippedFrames, ref stream.SkippedFramesCounted, now);
            if (fin) OnRequestFin(stream, now);
        }
        catch (Http3Exception ex) when (!ex.IsConnectionError)
        {
            StreamError(stream, ex.ErrorCode, ex.Message, now);
        }
        catch (FieldSectionTooLargeException ex)
        {
            // RFC 9114 §4.2.2: a section over our SETTINGS_MAX_FIELD_SECTION_SIZE is refused for its stream alone;
            // the QPACK state is intact (the decoder never changes its table while decoding a section).
            StreamError(stream, Http3ErrorCode.ExcessiveLoad, ex.Message, now);
        }

        return data.Length;
    }

    private Http3RequestStream? TryOpenRequestStream(long streamId, long now)
    {
        _highestRequestStreamId = Math.Max(_highestRequestStreamId, streamId);

        // RFC 9114 §5.2: after GOAWAY, requests on streams at or above its id are not processed; H3_REQUEST_REJECTED
        // tells the client it may retry them elsewhere (§4.1.1).
        if (streamId >= _goAwayId)
        {
            Refuse(streamId, "the connection is going away", now);
            return null;
        }

        // Handlers, not QUIC streams, are what concurrency limits count (catalogue Q-10, as H2-11 for HTTP/2): a
        // stream the client reset returned its QUIC credit, but its handler may still run.
        if (_handlersRunning >= _options.MaxConcurrentRequests || _requests.Count >= 2 * _options.MaxConcurrentRequests)
        {
            Refuse(streamId, "too many requests in progress", now);
            return null;
        }

        var stream = new Http3RequestStream(streamId, _readerOptions);
        _requests.Add(streamId, stream);
        return stream;
    }

    /// <summary>RFC 9114 §4.1.1: a request not processed at all is refused with H3_REQUEST_REJECTED, both ways.</summary>
    private void Refuse(long streamId, string reason, long now)
    {
        _actions.Enqueue(new ResetSendingStream(streamId, (long)Http3ErrorCode.RequestRejected));
        _actions.Enqueue(new StopReceivingStream(streamId, (long)Http3ErrorCode.RequestRejected));
        _closed.Add(streamId);
        LastStreamError = reason;
        CountGlitch(now, "refused streams");
    }

    private void OnHeadersFrame(Http3RequestStream stream, ReadOnlySpan<byte> section, bool endsHere, long now)
    {
        var trailers = stream.HeadDelivered;
        _collector.Reset(trailers);
        if (_decoder.DecodeFieldSection(stream.Id, section, _collector) == FieldSectionStatus.Blocked)
        {
            stream.Blocked = true;
            stream.BlockedOnTrailers = trailers;
            return;
        }

        OnSectionDecoded(stream, trailers, endsHere, now);
    }

    /// <summary>Sections that were waiting for QPACK inserts the encoder stream just delivered (RFC 9204 §2.1.2).</summary>
    private void DecodeUnblockedStreams(long now)
    {
        while (_decoder.TryTakeUnblockedStream(out var streamId))
        {
            if (!_requests.TryGetValue(streamId, out var stream) || !stream.Blocked) continue;
            stream.Blocked = false;
            try
            {
                _collector.Reset(stream.BlockedOnTrailers);
                _decoder.DecodeUnblocked(streamId, _collector);
                OnSectionDecoded(stream, stream.BlockedOnTrailers, stream.FinAfterBlocked, now);
                if (stream.FinAfterBlocked && !stream.ReceiveDone) OnRequestFin(stream, now);
            }
            catch (Http3Exception ex) when (!ex.IsConnectionError)
            {
                StreamError(stream, ex.ErrorCode, ex.Message, now);
            }
            catch (FieldSectionTooLargeException ex)
            {
                StreamError(stream, Http3ErrorCode.ExcessiveLoad, ex.Message, now);
            }

            // The caller holds the stream's later bytes: ask for them.
            if (!stream.ReceiveDone && !stream.FinAfterBlocked) _actions.Enqueue(new ResumeStreamInput(streamId));
        }
    }

    private void OnSectionDecoded(Http3RequestStream stream, bool trailers, bool endsHere, long now)
    {
        _collector.Complete();
        if (trailers)
        {
            // RFC 9114 §4.1: trailers carry no pseudo-header, and nothing but the FIN may follow them (the frame
            // reader refuses any frame after them).
            if (_collector.Error is { } malformedTrailers) throw new Http3Exception(Http3ErrorCode.MessageError, $"malformed trailers: {malformedTrailers}", isConnectionError: false);
            stream.Trailers = _collector.Fields.ToArray();
            return;
        }

        OpenRequest(stream, endsHere, now);
    }

    private void OpenRequest(Http3RequestStream stream, bool endsHere, long now)
    {
        var c = _collector;
        // RFC 9114 §4.1.2: a malformed request is a stream error of type H3_MESSAGE_ERROR.
        if (c.Error is { } malformed) throw new Http3Exception(Http3ErrorCode.MessageError, malformed, isConnectionError: false);

        var isConnect = c.Method == "CONNECT";
        // RFC 9114 §4.3.1: every request has :method, :scheme and a non-empty :path, except CONNECT (§4.4), which has
        // :authority and neither :scheme nor :path. :protocol (RFC 9220) is only for an extended CONNECT.
        var missing = c.Method is null ? ":method"
            : isConnect ? (c.Authority is null ? ":authority" : null)
            : c.Scheme is null ? ":scheme"
            : c.Path is null || c.Path.Length == 0 ? ":path"
            : null;
        if (missing is not null) throw new Http3Exception(Http3ErrorCode.MessageError, $"missing {missing}", isConnectionError: false);
        if (isConnect && c.Protocol is null && (c.Scheme is not null || c.Path is not null))
        {
            throw new Http3Exception(Http3ErrorCode.MessageError, "CONNECT with :scheme or :path (RFC 9114 §4.4)", isConnectionError: false);
        }

        if (!isConnect && (c.Protocol is not null || !IsValidPath(c.Path!, c.Method!)))
        {
            throw new Http3Exception(Http3ErrorCode.MessageError, "invalid :path or :protocol", isConnectionError: false);
        }

        // RFC 9114 §4.3.1: http and https have a mandatory authority, so the request carries :authority or host, not
        // empty, and the same value when it carries both.
        if (!isConnect && (c.Scheme.AsSpan().SequenceEqual("https"u8) || c.Scheme.AsSpan().SequenceEqual("http"u8)))
        {
            if (c.Authority is not { Length: > 0 } && c.Host is not { Length: > 0 })
            {
                throw new Http3Exception(Http3ErrorCode.MessageError, "no :authority or host for an http(s) request", isConnectionError: false);
            }

            if (c.Authority is not null && c.Host is not null && !c.Authority.AsSpan().SequenceEqual(c.Host))
            {
                throw new Http3Exception(Http3ErrorCode.MessageError, ":authority and host differ", isConnectionError: false);
            }
        }

        // RFC 9114 §4.1.2: a content-length that the body cannot match is malformed; an empty body is known here only
        // when the FIN came with the HEADERS.
        if (endsHere && c.ContentLength is > 0) throw new Http3Exception(Http3ErrorCode.MessageError, "content-length with an empty body", isConnectionError: false);

        stream.ContentLength = c.ContentLength;
        stream.IsHead = c.Method == "HEAD";
        stream.ExpectsContinue = c.ExpectsContinue && !endsHere;
        stream.HeadDelivered = true;
        stream.HandlerRunning = true;
        _handlersRunning++;
        _requestCount++;
        _events.Enqueue(new RequestReceived(stream.Id, BuildHead(c, endsHere)));

        if (isConnect)
        {
            // Neither a TCP tunnel (RFC 9114 §4.4) nor, until RFC 9220 lands, an extended CONNECT: answered 501 as
            // HTTP/2 answers it, and since we never sent SETTINGS_ENABLE_CONNECT_PROTOCOL a :protocol is not honoured.
            stream.BodyRefused = true;
            _events.Enqueue(new RequestRejected(stream.Id, 501, "CONNECT is not supported"));
        }
        else if (Core.Http.PathDecoder.ContainsEncodedNul(PathWithoutQuery(c.Path!)))
        {
            // As over HTTP/1.1 and HTTP/2: a path that decodes to a NUL is answered 400 and never reaches the application.
            stream.BodyRefused = true;
            _events.Enqueue(new RequestRejected(stream.Id, 400, "path encodes a NUL (%00)"));
        }
        else if (_options.MaxBodySize > 0 && c.ContentLength > _options.MaxBodySize)
        {
            // The declared body is refused before it comes (RFC 9110 §15.5.14).
            stream.BodyRefused = true;
            _events.Enqueue(new RequestRejected(stream.Id, 413, "request body too large"));
        }

        // The connection's request cap: no new streams after this one.
        if (_requestCount >= _options.MaxRequests) SendFinalGoAway(now);
    }

    private void OnDataFrame(Http3RequestStream stream, ReadOnlyMemory<byte> data, long now)
    {
        if (data.IsEmpty) return;
        stream.ReceivedBody += data.Length;
        // RFC 9114 §4.1.2: more body than content-length declares is malformed.
        if (stream.ContentLength is { } declared && stream.ReceivedBody > declared)
        {
            throw new Http3Exception(Http3ErrorCode.MessageError, "body longer than content-length", isConnectionError: false);
        }

        if (stream.BodyRefused) return;
        if (_options.MaxBodySize > 0 && stream.ReceivedBody > _options.MaxBodySize)
        {
            if (stream.ResponseStarted)
            {
                throw new Http3Exception(Http3ErrorCode.RequestCancelled, "request body too large", isConnectionError: false);
            }

            stream.BodyRefused = true;
            _events.Enqueue(new RequestRejected(stream.Id, 413, "request body too large"));
            return;
        }

        stream.Unconsumed += data.Length;
        _events.Enqueue(new RequestBodyReceived(stream.Id, new System.Buffers.ReadOnlySequence<byte>(data)));
        if (stream.Unconsumed >= _options.MaxUnconsumedRequestBody) stream.InputPaused = true;
    }

    private void OnRequestFin(Http3RequestStream stream, long now)
    {
        // RFC 9114 §7.1 and §4.1.2: a frame cut short is H3_FRAME_ERROR, a stream without HEADERS H3_REQUEST_INCOMPLETE.
        stream.Reader.EndOfStream();
        if (stream.ContentLength is { } declared && stream.ReceivedBody != declared)
        {
            throw new Http3Exception(Http3ErrorCode.MessageError, "body shorter than content-length", isConnectionError: false);
        }

        stream.ReceiveDone = true;
        _events.Enqueue(new RequestBodyEnded(stream.Id, stream.Trailers));
        TryForget(stream);
    }

    public void RequestBodyConsumed(long streamId, int bytes, long now, System.Buffers.IBufferWriter<byte> output)
    {
        if (bytes <= 0 || !_requests.TryGetValue(streamId, out var stream)) return;
        stream.Unconsumed = Math.Max(0, stream.Unconsumed - bytes);
        // Input resumes once half the allowance is free again, so a slow reader is not woken for every few octets.
        if (stream.InputPaused && stream.Unconsumed <= _options.MaxUnconsumedRequestBody / 2 && !stream.ReceiveDone)
        {
            stream.InputPaused = false;
            _actions.Enqueue(new ResumeStreamInput(streamId));
        }
    }

    /// <summary>
    /// The client abandoned its request (RESET_STREAM, usually H3_REQUEST_CANCELLED, RFC 9114 §4.1.1). Resets cost a
    /// token from their own bucket, so a reset flood ends the connection (catalogue Q-10).
    /// </summary>
    private void OnRequestReset(long streamId, long errorCode, long now)
    {
        if (!_resets.TryTake(now)) throw new Http3Exception(Http3ErrorCode.ExcessiveLoad, "too many stream resets");
        if (!_requests.TryGetValue(streamId, out var stream))
        {
            // A stream reset before any of its bytes came: it was opened all the same (the final GOAWAY counts it),
            // and whatever still arrives for it is dropped.
            _highestRequestStreamId = Math.Max(_highestRequestStreamId, streamId);
            _closed.Add(streamId);
            return;
        }

        if (stream.ReceiveDone) return;
        stream.ReceiveDone = true;
        // RFC 9204 §2.2.2.2: a stream reset before its section was decoded is cancelled on the decoder stream.
        if (!stream.HeadDelivered || stream.Blocked) _decoder.CancelStream(streamId);
        stream.Blocked = false;
        if (stream.HeadDelivered && !stream.SendDone)
        {
            // The request is incomplete and nobody will read the answer to it: stop the response as well.
            _actions.Enqueue(new ResetSendingStream(streamId, (long)Http3ErrorCode.RequestCancelled));
            stream.SendDone = true;
            _events.Enqueue(new StreamAborted(streamId, $"the client reset the request stream (code 0x{errorCode:x})"));
        }

        if (!stream.HeadDelivered) stream.SendDone = true;
        TryForget(stream);
    }

    /// <summary>The client will not read the response (STOP_SENDING); QUIC has already reset our sending side.</summary>
    private void OnRequestStopSending(long streamId, long errorCode, long now)
    {
        if (!_resets.TryTake(now)) throw new Http3Exception(Http3ErrorCode.ExcessiveLoad, "too many STOP_SENDING frames");
        if (!_requests.TryGetValue(streamId, out var stream) || stream.SendDone) return;
        stream.SendDone = true;
        if (stream.HeadDelivered) _events.Enqueue(new StreamAborted(streamId, $"the client stopped reading the response (code 0x{errorCode:x})"));
        if (!stream.ReceiveDone)
        {
            // Its request is of no use now either.
            _actions.Enqueue(new StopReceivingStream(streamId, (long)Http3ErrorCode.RequestCancelled));
            stream.ReceiveDone = true;
            if (!stream.HeadDelivered || stream.Blocked) _decoder.CancelStream(streamId);
            stream.Blocked = false;
        }

        TryForget(stream);
    }

    /// <summary>
    /// A stream error (RFC 9114 §8): RESET_STREAM and STOP_SENDING with the code, the handler told, and one glitch
    /// spent, since the peer caused it.
    /// </summary>
    private void StreamError(Http3RequestStream stream, Http3ErrorCode code, string reason, long now)
    {
        LastStreamError = $"{code}: {reason}";
        if (!stream.SendDone) _actions.Enqueue(new ResetSendingStream(stream.Id, (long)code));
        if (!stream.ReceiveDone) _actions.Enqueue(new StopReceivingStream(stream.Id, (long)code));
        if (!stream.HeadDelivered || stream.Blocked) _decoder.CancelStream(stream.Id);
        if (stream.HeadDelivered && !(stream.SendDone && stream.ReceiveDone)) _events.Enqueue(new StreamAborted(stream.Id, reason));
        stream.SendDone = stream.ReceiveDone = true;
        stream.Blocked = false;
        TryForget(stream);
        CountGlitch(now, "stream errors");
    }

    /// <summary>Drops a stream both of whose sides are done and whose handler has returned.</summary>
    private void TryForget(Http3RequestStream stream)
    {
        if (!stream.ReceiveDone || !stream.SendDone || stream.HandlerRunning) return;
        if (!_requests.Remove(stream.Id)) return;
        _closed.Add(stream.Id);
        MaybeFinishShutdown();
    }

    private static ReadOnlySpan<byte> PathWithoutQuery(byte[] path)
    {
        var query = Array.IndexOf(path, (byte)'?');
        return query < 0 ? path : path.AsSpan(0, query);
    }

    private static bool IsValidPath(byte[] path, string method) =>
        path[0] == (byte)'/' || path is [(byte)'*'] && method == "OPTIONS"; // RFC 9114 §4.3.1

    private static RequestHead BuildHead(Http3RequestFieldCollector c, bool endsHere)
    {
        var path = c.Path ?? [];
        var query = Array.IndexOf(path, (byte)'?');
        return new RequestHead
        {
            Method = c.Method!,
            RawPath = query < 0 ? path : path.AsMemory(0, query),
            QueryString = query < 0 ? ReadOnlyMemory<byte>.Empty : path.AsMemory(query + 1),
            HttpVersion = "3",
            Headers = c.Fields.ToArray(),
            Authority = c.Authority ?? Host(c),
            HasBody = !endsHere && c.ContentLength != 0,
            ContentLength = c.ContentLength,
            ExpectsContinue = c.ExpectsContinue && !endsHere,
            Protocol = c.Protocol is null ? null : System.Text.Encoding.ASCII.GetString(c.Protocol),
        };
    }

    private static ReadOnlyMemory<byte> Host(Http3RequestFieldCollector c)
    {
        foreach (var field in c.Fields)
        {
            if (field.Name.Span.SequenceEqual("host"u8)) return field.Value;
        }

        return ReadOnlyMemory<byte>.Empty;
    }
}
