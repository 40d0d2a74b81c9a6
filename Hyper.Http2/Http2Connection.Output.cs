using System.Buffers;
using System.Globalization;
using Hyper.Core.Application;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;

namespace Hyper.Http2;

// Responses and flow control out (RFC 9113 §5.2, §6.9, §8.1): header blocks are written at once (they are not
// flow-controlled); DATA goes out as far as both windows allow, the rest waits in the stream's ResponseBuffer and
// leaves as WINDOW_UPDATEs arrive, one frame per stream per round so no stream starves the others.
public sealed partial class Http2Connection
{
    // H2-01: below this much usable window a DATA frame is not worth its header (Data Dribble).
    private const int MinDataFrame = 1024;

    // The time of the command or frame being handled, for the glitch bucket on the output side.
    private long _outputNow;

    private readonly ArrayBufferWriter<byte> _headerScratch = new(1024);
    private readonly Queue<Http2Stream> _writeQueue = new();
    private long _totalPending;

    public void StartResponse(long streamId, int status, IReadOnlyList<HeaderField> headers, bool endStream, long now, IBufferWriter<byte> output)
    {
        _lastEventAt = now; // the idle timeout counts from the last response activity, not only the last frame received
        if (!TryGetSendable(streamId, out var stream)) return;
        stream.ResponseStarted = true;
        WriteHeaderBlock(stream, status, headers, endStream, contentLength: null, output);
        if (endStream) EndResponse(stream, output);
    }

    public void SendCompleteResponse(long streamId, int status, IReadOnlyList<HeaderField> headers, ReadOnlySpan<byte> body, long now, IBufferWriter<byte> output)
    {
        _lastEventAt = now; // the idle timeout counts from the last response activity, not only the last frame received
        if (!TryGetSendable(streamId, out var stream)) return;
        stream.ResponseStarted = true;
        var bodyAllowed = status is >= 200 and not 204 and not 304;
        var sendsBody = bodyAllowed && !body.IsEmpty && !stream.IsHead;
        WriteHeaderBlock(stream, status, headers, endStream: !sendsBody, bodyAllowed ? body.Length : null, output);
        if (!sendsBody)
        {
            EndResponse(stream, output);
            return;
        }
        SendData(stream, body, endStream: true, now, output);
    }

    public void SendBody(long streamId, ReadOnlySpan<byte> data, bool endStream, long now, IBufferWriter<byte> output)
    {
        _lastEventAt = now; // the idle timeout counts from the last response activity, not only the last frame received
        if (!TryGetSendable(streamId, out var stream)) return;
        // RFC 9110 §9.3.2: a response to HEAD carries no content.
        if (stream.IsHead) data = default;
        SendData(stream, data, endStream, now, output);
    }

    public void SendTrailers(long streamId, IReadOnlyList<HeaderField> trailers, long now, IBufferWriter<byte> output)
    {
        _lastEventAt = now; // the idle timeout counts from the last response activity, not only the last frame received
        if (!TryGetSendable(streamId, out var stream)) return;
        if (!stream.Pending.IsEmpty)
        {
            // Encoded only when written: HPACK state must follow the order blocks reach the wire.
            stream.PendingTrailers = trailers.ToArray();
            return;
        }
        WriteTrailers(stream, trailers, output);
    }

    public void SendInformational(long streamId, int status, IReadOnlyList<HeaderField> headers, IBufferWriter<byte> output)
    {
        if (!TryGetSendable(streamId, out var stream) || stream.ResponseStarted) return;
        WriteHeaderBlock(stream, status, headers, endStream: false, contentLength: null, output);
    }

    public void RequestBodyWanted(long streamId, long now, IBufferWriter<byte> output)
    {
        // RFC 9110 §10.1.1 over HTTP/2: an interim 100 HEADERS, only once the application reads.
        if (!TryGetSendable(streamId, out var stream) || !stream.ExpectsContinue || stream.ContinueSent || stream.ResponseStarted) return;
        stream.ContinueSent = true;
        WriteHeaderBlock(stream, 100, [], endStream: false, contentLength: null, output);
        UpdateBodyClocks(now); // the client may send its body now (SL-02)
    }

    public void AbortStream(long streamId, IBufferWriter<byte> output)
    {
        if (!TryFindStream(streamId, out var stream) || stream.State == Http2StreamState.Closed) return;
        Http2FrameWriter.WriteRstStream(output, stream.Id, Http2ErrorCode.InternalError);
        _recentlyClosed.Add(stream.Id, resetByUs: true);
        CloseStream(stream);
    }

    public long GetBufferedResponseBytes(long streamId)
    {
        if (!TryFindStream(streamId, out var stream) || stream.State == Http2StreamState.Closed) return 0;
        var buffered = stream.Pending.Length;
        if (buffered > _limits.MaxStreamResponseBuffer) stream.WriterWaiting = true;
        return buffered > _limits.MaxStreamResponseBuffer ? buffered : 0;
    }

    public void RequestBodyConsumed(long streamId, int bytes, long now, IBufferWriter<byte> output)
    {
        if (bytes <= 0 || !TryFindStream(streamId, out var stream)) return;
        stream.Unconsumed -= bytes;
        ReturnToConnectionWindow(bytes, output);
        if (!stream.ReceivingClosed) ReturnToStreamWindow(stream, bytes, output);
        // Reopened windows free the client to send again: its body clock runs from now (SL-02).
        UpdateBodyClocks(now);
    }

    /// <summary>Reopens the connection window once half of it is used (fewer, larger WINDOW_UPDATEs).</summary>
    private void ReturnToConnectionWindow(int bytes, IBufferWriter<byte> output)
    {
        _connectionConsumedNotUpdated += bytes;
        if (_connectionConsumedNotUpdated < _limits.InitialConnectionWindowSize / 2) return;
        Http2FrameWriter.WriteWindowUpdate(output, 0, _connectionConsumedNotUpdated);
        _receiveWindow += _connectionConsumedNotUpdated;
        _connectionConsumedNotUpdated = 0;
    }

    private void ReturnToStreamWindow(Http2Stream stream, int bytes, IBufferWriter<byte> output)
    {
        stream.ConsumedNotUpdated += bytes;
        if (stream.ConsumedNotUpdated < _limits.InitialStreamWindowSize / 2) return;
        if (stream.AwaitsOnlyRequestEnd)
        {
            // §8.1: the response is complete and its handler gone, so the rest of the body is discarded. Rather than
            // reopen the window for more of it, RST_STREAM(NO_ERROR) asks the client to stop. A short body still ends
            // within the window it already has, every frame of it checked.
            ResetAfterResponse(stream, output);
            return;
        }
        Http2FrameWriter.WriteWindowUpdate(output, stream.Id, stream.ConsumedNotUpdated);
        stream.ReceiveWindow += stream.ConsumedNotUpdated;
        stream.ConsumedNotUpdated = 0;
    }

    private bool TryGetSendable(long streamId, out Http2Stream stream)
    {
        if (TryFindStream(streamId, out stream!) && !stream.SendingClosed && !_shouldClose) return true;
        stream = null!;
        return false;
    }

    private void SendData(Http2Stream stream, ReadOnlySpan<byte> data, bool endStream, long now, IBufferWriter<byte> output)
    {
        _outputNow = now;
        if (stream.Pending.IsEmpty)
        {
            // The common case: nothing queued and room in both windows; frames go straight out, no copy.
            var written = WriteDataFrames(stream, data, endStream, output, out var ended);
            if (ended)
            {
                EndResponse(stream, output);
                return;
            }
            data = data[written..];
            if (data.IsEmpty && !endStream) return;
        }
        if (stream.Pending.IsEmpty && !data.IsEmpty)
        {
            stream.StallStartedAt = now;
            stream.StallSent = 0;
        }
        stream.Pending.Append(data);
        _totalPending += data.Length;
        if (endStream) stream.EndAfterPending = true;
        Enqueue(stream);
    }

    /// <summary>
    /// Writes as much of <paramref name="data"/> as the windows allow, in frames of at most the peer's
    /// SETTINGS_MAX_FRAME_SIZE; END_STREAM rides on the last frame when all of it fits (<paramref name="ended"/>).
    /// </summary>
    private int WriteDataFrames(Http2Stream stream, ReadOnlySpan<byte> data, bool endStream, IBufferWriter<byte> output, out bool ended)
    {
        ended = false;
        var written = 0;
        while (true)
        {
            var remaining = data.Length - written;
            var window = Math.Min(_sendWindow, stream.SendWindow);
            if (remaining == 0)
            {
                if (endStream)
                {
                    // An empty DATA with END_STREAM needs no window (§6.9.1 counts payload only).
                    if (written == 0) Http2FrameWriter.WriteData(output, stream.Id, default, endStream: true);
                    ended = true;
                }
                return written;
            }
            if (!MayWrite(window, remaining)) return written;
            var size = (int)Math.Min(Math.Min(remaining, window), _peerMaxFrameSize);
            var last = size == remaining && endStream;
            Http2FrameWriter.WriteData(output, stream.Id, data.Slice(written, size), last);
            _sendWindow -= size;
            stream.SendWindow -= size;
            written += size;
            if (last)
            {
                ended = true;
                return written;
            }
        }
    }

    /// <summary>
    /// H2-01 Data Dribble: a window smaller than min(remaining, 1 KiB) makes a frame not worth its header. Such tiny
    /// frames still go out (RFC 9113 §6.9.1 lets the peer keep the window small, and h2spec checks that a 1-octet
    /// window gets a 1-octet frame), but each costs a token of the glitch bucket; once it is empty the data waits for
    /// a useful window, and the minimum response rate reaps the stream if none comes.
    /// </summary>
    private bool MayWrite(long window, long remaining)
    {
        if (window <= 0) return false;
        if (window >= Math.Min(remaining, MinDataFrame)) return true;
        return _glitches.TryTake(_outputNow);
    }

    private void Enqueue(Http2Stream stream)
    {
        if (stream.Queued || stream.Pending.IsEmpty && !stream.EndAfterPending && stream.PendingTrailers is null) return;
        stream.Queued = true;
        _writeQueue.Enqueue(stream);
    }

    /// <summary>Moves queued DATA out as far as the windows allow; called after every frame batch and command.</summary>
    private void FlushPendingData(long now, IBufferWriter<byte> output)
    {
        _outputNow = now;
        var rounds = _writeQueue.Count;
        var chunk = ArrayPool<byte>.Shared.Rent(Math.Min(_peerMaxFrameSize, 64 * 1024));
        try
        {
            while (rounds-- > 0 && _writeQueue.TryDequeue(out var stream))
            {
                stream.Queued = false;
                if (stream.State == Http2StreamState.Closed || stream.SendingClosed) continue;
                var window = Math.Min(_sendWindow, stream.SendWindow);
                var pending = stream.Pending.Length;
                if (pending > 0 && MayWrite(window, pending))
                {
                    var size = (int)Math.Min(Math.Min(pending, window), chunk.Length);
                    stream.Pending.Drain(chunk.AsSpan(0, size));
                    _totalPending -= size;
                    // A frame below the useful size (paid from the glitch bucket) is no progress for the minimum
                    // response rate: a window dribbled open byte by byte must not keep a stream alive (H2-01, H2-10).
                    if (size >= Math.Min(pending, MinDataFrame)) stream.StallSent += size;
                    if (stream.Pending.IsEmpty) stream.StallStartedAt = long.MaxValue;
                    var last = stream.Pending.IsEmpty && stream.EndAfterPending && stream.PendingTrailers is null;
                    Http2FrameWriter.WriteData(output, stream.Id, chunk.AsSpan(0, size), last);
                    _sendWindow -= size;
                    stream.SendWindow -= size;
                    if (last) EndResponse(stream, output);
                }
                if (stream.Pending.IsEmpty && !stream.SendingClosed)
                {
                    if (stream.PendingTrailers is { } trailers) WriteTrailers(stream, trailers, output);
                    else if (stream.EndAfterPending)
                    {
                        Http2FrameWriter.WriteData(output, stream.Id, default, endStream: true);
                        EndResponse(stream, output);
                    }
                }
                if (stream.WriterWaiting && stream.Pending.Length <= _limits.MaxStreamResponseBuffer)
                {
                    stream.WriterWaiting = false;
                    _events.Enqueue(new StreamWritable(stream.Id));
                }
                if (!stream.Pending.IsEmpty && stream.State != Http2StreamState.Closed)
                {
                    Enqueue(stream);
                    // Another round only if this one could make progress on the connection window.
                    if (_sendWindow >= Math.Min(stream.Pending.Length, MinDataFrame) && stream.SendWindow >= Math.Min(stream.Pending.Length, MinDataFrame))
                        rounds = Math.Max(rounds, 1);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private void WriteTrailers(Http2Stream stream, IReadOnlyList<HeaderField> trailers, IBufferWriter<byte> output)
    {
        stream.PendingTrailers = null;
        WriteHeaderBlock(stream, status: 0, trailers, endStream: true, contentLength: null, output);
        EndResponse(stream, output);
    }

    /// <summary>§8.1: RST_STREAM(NO_ERROR) on a stream whose response is complete: the client stops sending its request.</summary>
    private void ResetAfterResponse(Http2Stream stream, IBufferWriter<byte> output)
    {
        Http2FrameWriter.WriteRstStream(output, stream.Id, Http2ErrorCode.NoError);
        _recentlyClosed.Add(stream.Id, resetByUs: true);
        CloseStream(stream);
    }

    /// <summary>Our END_STREAM went out: the response is complete (§8.1).</summary>
    private void EndResponse(Http2Stream stream, IBufferWriter<byte> output)
    {
        stream.EndAfterPending = false;
        // A handler whose response is complete no longer does the work concurrency limits exist for; the client may
        // open the next stream as soon as it reads END_STREAM, before the handler has formally returned.
        ReleaseSlot(stream);
        if (stream.State == Http2StreamState.HalfClosedRemote)
        {
            CloseStream(stream);
            _events.Enqueue(new StreamCompleted(stream.Id));
            return;
        }
        // §5.1: a complete response before the whole request leaves the stream half-closed (local). The rest of the
        // request is still checked, and its errors still get RST_STREAM or GOAWAY with their own code: an immediate
        // RST_STREAM(NO_ERROR) (§8.1 allows it) would make every later frame one we must ignore (§5.4.2), so a client
        // error right behind the response (h2spec 5.1/8, 6.9.1/3, 8.1.2.1/3, 8.1.2.6/1) would go unanswered whenever
        // the response happened to be faster. The client is asked to stop only once its body is nobody's (see
        // ReturnToStreamWindow).
        if (stream.BodyRefused)
        {
            // The body was refused (413): §8.1's RST_STREAM(NO_ERROR) stops the client at once.
            ResetAfterResponse(stream, output);
            _events.Enqueue(new StreamCompleted(stream.Id));
            return;
        }
        stream.State = Http2StreamState.HalfClosedLocal;
        _events.Enqueue(new StreamCompleted(stream.Id));
        if (ServesNoRequest) _idleSince = _lastEventAt;
    }

    /// <summary>Encodes a response (or trailer, when <paramref name="status"/> is 0) header block and writes it as HEADERS + CONTINUATION.</summary>
    private void WriteHeaderBlock(Http2Stream stream, int status, IReadOnlyList<HeaderField> headers, bool endStream, int? contentLength, IBufferWriter<byte> output)
    {
        var block = _headerScratch;
        block.ResetWrittenCount();
        _encoder.BeginBlock(block);
        if (status != 0) _encoder.EncodeStatus(status, block);
        var hasLength = false;
        for (var i = 0; i < headers.Count; i++)
        {
            var name = headers[i].Name.Span;
            // RFC 9113 §8.2.2: connection-specific fields do not exist in HTTP/2; an application written for
            // HTTP/1.1 may still set them.
            if (IsConnectionSpecific(name)) continue;
            if (name.SequenceEqual("content-length"u8)) hasLength = true;
            if (ContainsUpper(name))
            {
                // §8.2.1: field names are lower case on the wire.
                var lowered = new byte[name.Length];
                System.Text.Ascii.ToLower(name, lowered, out _);
                _encoder.Encode(lowered, headers[i].Value.Span, IsSensitive(lowered), block);
                continue;
            }
            _encoder.Encode(name, headers[i].Value.Span, IsSensitive(name), block);
        }
        if (contentLength is { } length && !hasLength)
        {
            Span<byte> digits = stackalloc byte[11];
            length.TryFormat(digits, out var count, provider: CultureInfo.InvariantCulture);
            _encoder.Encode("content-length"u8, digits[..count], sensitive: false, block);
        }
        Http2FrameWriter.WriteHeaders(output, stream.Id, block.WrittenSpan, endStream, _peerMaxFrameSize);
    }

    private static bool IsConnectionSpecific(ReadOnlySpan<byte> name) =>
        System.Text.Ascii.EqualsIgnoreCase(name, "connection"u8) || System.Text.Ascii.EqualsIgnoreCase(name, "keep-alive"u8)
        || System.Text.Ascii.EqualsIgnoreCase(name, "proxy-connection"u8) || System.Text.Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8)
        || System.Text.Ascii.EqualsIgnoreCase(name, "upgrade"u8);

    private static bool IsSensitive(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("set-cookie"u8) || name.SequenceEqual("authorization"u8) || name.SequenceEqual("cookie"u8)
        || name.SequenceEqual("proxy-authorization"u8);

    private static bool ContainsUpper(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (b is >= (byte)'A' and <= (byte)'Z') return true;
        }
        return false;
    }
}
