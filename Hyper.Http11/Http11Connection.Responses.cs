using System.Buffers;
using Hyper.Core.Application;
using Hyper.Core.Protocols;
using Hyper.Http11.Writing;

namespace Hyper.Http11;

// The write side: response heads, framing, persistence (RFC 9112 §6, §9.3) and interim responses.
public sealed partial class Http11Connection
{
    private ResponseFraming _framing;
    private long _declaredLength;
    private long _bodyWritten;
    private bool _keepAlive;

    public void StartResponse(long streamId, int status, IReadOnlyList<HeaderField> headers, bool endStream, long now, IBufferWriter<byte> output)
    {
        LearnTime(now);
        if (status == 101)
        {
            StartTunnel(streamId, headers, now, output);
            if (endStream && _write == Http11WriteState.SendingBody) FinishResponse(null, now, output);
            return;
        }
        if (!BeginResponse(streamId, status, headers, impliedLength: endStream ? 0 : null, output)) return;
        if (endStream) FinishResponse(null, now, output);
    }

    public void SendCompleteResponse(long streamId, int status, IReadOnlyList<HeaderField> headers, ReadOnlySpan<byte> body, long now, IBufferWriter<byte> output)
    {
        LearnTime(now);
        if (!BeginResponse(streamId, status, headers, impliedLength: body.Length, output)) return;
        WriteBody(body, output);
        FinishResponse(null, now, output);
    }

    public void SendBody(long streamId, ReadOnlySpan<byte> data, bool endStream, long now, IBufferWriter<byte> output)
    {
        LearnTime(now);
        if (!IsSending(streamId)) return;
        WriteBody(data, output);
        if (endStream) FinishResponse(null, now, output);
    }

    public void SendTrailers(long streamId, IReadOnlyList<HeaderField> trailers, long now, IBufferWriter<byte> output)
    {
        LearnTime(now);
        if (!IsSending(streamId)) return;
        ResponseFields.Inspect(trailers);
        // RFC 9112 §7.1.2: trailers exist only in the chunked coding; with any other framing they are dropped.
        FinishResponse(_framing == ResponseFraming.Chunked ? trailers : null, now, output);
    }

    public void SendInformational(long streamId, int status, IReadOnlyList<HeaderField> headers, IBufferWriter<byte> output)
    {
        if (status is < 100 or > 199 or 101) throw new ArgumentOutOfRangeException(nameof(status), status, "an informational status is 1xx (and not 101)");
        if (ShouldClose || !IsCurrentStream(streamId)) return;
        if (_write != Http11WriteState.NotStarted) throw new InvalidOperationException("an informational response after the final response started");
        ResponseFields.Inspect(headers);
        // RFC 9110 §15.2: a server MUST NOT send a 1xx response to an HTTP/1.0 client.
        if (_request is not { IsHttp10: false }) return;
        if (status == 100)
        {
            if (_continueSent) return;
            _continueSent = true;
        }
        Http11ResponseWriter.WriteStatusLine(output, status);
        Http11ResponseWriter.WriteFields(output, headers);
        Http11ResponseWriter.WriteEndOfHead(output);
        if (status == 100 && _read == Http11ReadState.ReadingBody) StartBodyRateClock(_lastKnownNow);
    }

    public void RequestBodyWanted(long streamId, long now, IBufferWriter<byte> output)
    {
        LearnTime(now);
        // RFC 9110 §10.1.1: the 100 is sent when the application shows it wants the body, once, and only
        // while no final response has started.
        if (ShouldClose || !IsCurrentStream(streamId) || _request is not { Head.ExpectsContinue: true }) return;
        if (_continueSent || _write != Http11WriteState.NotStarted || _read != Http11ReadState.ReadingBody) return;
        _continueSent = true;
        output.Write("HTTP/1.1 100 Continue\r\n\r\n"u8);
        StartBodyRateClock(now);
    }

    /// <summary>Writes the head; false when the connection is already closing and nothing may be written.</summary>
    private bool BeginResponse(long streamId, int status, IReadOnlyList<HeaderField> headers, long? impliedLength, IBufferWriter<byte> output)
    {
        if (ShouldClose) return false;
        if (!IsCurrentStream(streamId)) throw new InvalidOperationException($"stream {streamId} is not the request in flight");
        if (_write != Http11WriteState.NotStarted) throw new InvalidOperationException("the response has already started");
        if (status is < 200 or > 999) throw new ArgumentOutOfRangeException(nameof(status), status, "a final status is 200 to 999; use SendInformational for 1xx");

        // Validate everything before the first byte is written, so an application error still gets its 500.
        var fields = ResponseFields.Inspect(headers);
        var request = _request;
        var rejected = _read == Http11ReadState.Rejected;
        var isHttp10 = request?.IsHttp10 == true;
        if (fields.Chunked && isHttp10) throw new ArgumentException("transfer-encoding cannot be sent to an HTTP/1.0 client", nameof(headers));

        // RFC 9110 §6.4.1: responses to HEAD, and 204 and 304 responses, never carry content.
        var noContent = request?.IsHead == true || status is 204 or 304;
        bool addLength = false, addChunked = false;
        if (fields.ContentLength is { } declared)
        {
            _framing = noContent ? ResponseFraming.NoBody : ResponseFraming.ContentLength;
            _declaredLength = declared;
        }
        else if (fields.Chunked)
        {
            _framing = noContent ? ResponseFraming.NoBody : ResponseFraming.Chunked;
        }
        else if (noContent)
        {
            _framing = ResponseFraming.NoBody;
            // RFC 9110 §9.3.2: HEAD gets the fields GET would, so a body the application produced anyway is
            // announced by its length (and then not sent).
            if (request?.IsHead == true && status is not (204 or 304) && impliedLength is > 0 and var length)
            {
                _declaredLength = length;
                addLength = true;
            }
        }
        else if (impliedLength is { } known)
        {
            _framing = ResponseFraming.ContentLength;
            _declaredLength = known;
            addLength = true;
        }
        else if (!isHttp10)
        {
            _framing = ResponseFraming.Chunked;
            addChunked = true;
        }
        else
        {
            _framing = ResponseFraming.CloseDelimited;
        }

        _keepAlive = !rejected && request is not null && request.KeepAliveRequested && !fields.ConnectionClose && !_shuttingDown
            && _framing != ResponseFraming.CloseDelimited
            && _streamId < _settings.KeepAliveMaxRequests
            // RFC 9110 §10.1.1: the client may still send the body it held back for the 100, or may not:
            // the next bytes cannot be framed with certainty, so the connection ends with this response.
            && !(request.Head.ExpectsContinue && !_continueSent && _read == Http11ReadState.ReadingBody);

        Http11ResponseWriter.WriteStatusLine(output, status);
        Http11ResponseWriter.WriteFields(output, headers);
        if (addLength) Http11ResponseWriter.WriteContentLength(output, _declaredLength);
        if (addChunked) Http11ResponseWriter.WriteField(output, "transfer-encoding"u8, "chunked"u8);
        if (!_keepAlive && !fields.ConnectionClose) Http11ResponseWriter.WriteField(output, "connection"u8, "close"u8);
        // RFC 9112 §C.2.2: an HTTP/1.0 client only persists when the response says keep-alive too.
        else if (_keepAlive && isHttp10 && !fields.HasConnection) Http11ResponseWriter.WriteField(output, "connection"u8, "keep-alive"u8);
        Http11ResponseWriter.WriteEndOfHead(output);

        _write = Http11WriteState.SendingBody;
        _bodyWritten = 0;
        return true;
    }

    private void WriteBody(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        switch (_framing)
        {
            case ResponseFraming.ContentLength:
                if (data.Length > _declaredLength - _bodyWritten)
                {
                    // RFC 9110 §8.6: the body must match its Content-Length; bytes past it would be read as
                    // the next response, so nothing more is written and the connection ends.
                    _write = Http11WriteState.Complete;
                    ShouldClose = true;
                    throw new InvalidOperationException("response body is longer than its content-length");
                }
                output.Write(data);
                _bodyWritten += data.Length;
                break;
            case ResponseFraming.Chunked:
                ChunkedBodyEncoder.WriteChunk(output, data);
                break;
            case ResponseFraming.CloseDelimited or ResponseFraming.Tunnel:
                output.Write(data);
                break;
        }
    }

    private void FinishResponse(IReadOnlyList<HeaderField>? trailers, long now, IBufferWriter<byte> output)
    {
        if (_framing == ResponseFraming.Chunked) ChunkedBodyEncoder.WriteLastChunk(output, trailers);
        // A body shorter than its Content-Length leaves the client waiting for bytes that never come: close.
        var truncated = _framing == ResponseFraming.ContentLength && _bodyWritten < _declaredLength;
        _write = Http11WriteState.Complete;

        if (_read == Http11ReadState.Rejected)
        {
            ShouldClose = true;
            return;
        }
        if (!_keepAlive || truncated || _shuttingDown)
        {
            _events.Enqueue(new StreamCompleted(_streamId));
            ShouldClose = true;
            return;
        }
        if (_read == Http11ReadState.BodyComplete)
        {
            CompleteStream(now);
            return;
        }
        // The request body is not fully read: drain it per its framing before the next head (docs/security.md H1-14).
        _drainingBody = true;
        _lastInputAt = now;
    }

    private bool IsSending(long streamId)
    {
        if (ShouldClose) return false;
        if (!IsCurrentStream(streamId) || _write != Http11WriteState.SendingBody)
            throw new InvalidOperationException($"stream {streamId} has no response in progress");
        return true;
    }

    private bool IsCurrentStream(long streamId) => streamId == _streamId && (_request is not null || _read == Http11ReadState.Rejected);
}
