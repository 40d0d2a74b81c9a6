using System.Buffers;
using System.Globalization;
using Hyper.Core.Application;
using Hyper.Core.Protocols;
using Hyper.Http3.Frames;
using Hyper.Http3.Qpack;

namespace Hyper.Http3;

// Responses (RFC 9114 §4.1): HEADERS encoded with the static-only QPACK encoder, DATA frames, trailers, interim
// responses, and the end of the stream. Flow control belongs to QUIC: every command becomes a SendStreamData at once,
// and the transport holds what the client's windows do not yet allow.
public sealed partial class Http3Connection
{
    private readonly ArrayBufferWriter<byte> _section = new(512);
    private readonly ArrayBufferWriter<byte> _frames = new(1024);

    public void StartResponse(long streamId, int status, IReadOnlyList<HeaderField> headers, bool endStream, long now, IBufferWriter<byte> output)
    {
        if (!TryGetSendable(streamId, out var stream)) return;
        stream.ResponseStarted = true;
        _frames.ResetWrittenCount();
        WriteHeadersFrame(status, headers, contentLength: null);
        Flush(stream, endStream);
    }

    public void SendCompleteResponse(long streamId, int status, IReadOnlyList<HeaderField> headers, ReadOnlySpan<byte> body, long now, IBufferWriter<byte> output)
    {
        if (!TryGetSendable(streamId, out var stream)) return;
        stream.ResponseStarted = true;
        var bodyAllowed = status is >= 200 and not 204 and not 304;
        _frames.ResetWrittenCount();
        WriteHeadersFrame(status, headers, bodyAllowed ? body.Length : null);
        // RFC 9110 §9.3.2: a response to HEAD carries no content, but its content-length tells what GET would send.
        if (bodyAllowed && !body.IsEmpty && !stream.IsHead) WriteDataFrame(body);
        Flush(stream, endStream: true);
    }

    public void SendBody(long streamId, ReadOnlySpan<byte> data, bool endStream, long now, IBufferWriter<byte> output)
    {
        if (!TryGetSendable(streamId, out var stream)) return;
        if (stream.IsHead) data = default;
        if (data.IsEmpty && !endStream) return;
        _frames.ResetWrittenCount();
        if (!data.IsEmpty) WriteDataFrame(data);
        Flush(stream, endStream);
    }

    public void SendTrailers(long streamId, IReadOnlyList<HeaderField> trailers, long now, IBufferWriter<byte> output)
    {
        if (!TryGetSendable(streamId, out var stream)) return;
        _frames.ResetWrittenCount();
        WriteHeadersFrame(status: 0, trailers, contentLength: null);
        Flush(stream, endStream: true);
    }

    public void SendInformational(long streamId, int status, IReadOnlyList<HeaderField> headers, IBufferWriter<byte> output)
    {
        // RFC 9114 §4.1: interim responses (103 Early Hints) come before the final HEADERS.
        if (!TryGetSendable(streamId, out var stream) || stream.ResponseStarted) return;
        _frames.ResetWrittenCount();
        WriteHeadersFrame(status, headers, contentLength: null);
        Flush(stream, endStream: false);
    }

    public void RequestBodyWanted(long streamId, long now, IBufferWriter<byte> output)
    {
        // RFC 9110 §10.1.1: the interim 100 goes out once the application reads the body, not before.
        if (!TryGetSendable(streamId, out var stream) || !stream.ExpectsContinue || stream.ContinueSent || stream.ResponseStarted) return;
        stream.ContinueSent = true;
        _frames.ResetWrittenCount();
        WriteHeadersFrame(100, [], contentLength: null);
        Flush(stream, endStream: false);
    }

    public void AbortStream(long streamId, IBufferWriter<byte> output)
    {
        if (!_requests.TryGetValue(streamId, out var stream) || stream.SendDone) return;
        // The application failed mid-response: the client must not take a truncated body for a whole one.
        _actions.Enqueue(new ResetSendingStream(streamId, (long)Http3ErrorCode.InternalError));
        if (!stream.ReceiveDone) _actions.Enqueue(new StopReceivingStream(streamId, (long)Http3ErrorCode.InternalError));
        stream.SendDone = stream.ReceiveDone = true;
        TryForget(stream);
    }

    /// <summary>Always 0: the bytes are the transport's once handed over; QUIC's send buffer is where a writer waits.</summary>
    public long GetBufferedResponseBytes(long streamId) => 0;

    public void HandlerCompleted(long streamId, IBufferWriter<byte> output)
    {
        if (!_requests.TryGetValue(streamId, out var stream) || !stream.HandlerRunning) return;
        stream.HandlerRunning = false;
        _handlersRunning--;
        if (!stream.ReceiveDone && stream.SendDone) StopReadingAfterResponse(stream);
        TryForget(stream);
    }

    /// <summary>HTTP/3 has no server push here (PushAllowed is false), so nothing is ever promised.</summary>
    public long Push(long streamId, RequestHead request, long now, IBufferWriter<byte> output) => 0;

    private bool TryGetSendable(long streamId, out Http3RequestStream stream)
    {
        if (_requests.TryGetValue(streamId, out stream!) && stream.HeadDelivered && !stream.SendDone && !_shouldClose) return true;
        stream = null!;
        return false;
    }

    private void Flush(Http3RequestStream stream, bool endStream)
    {
        Send(stream.Id, _frames.WrittenSpan, endStream);
        if (endStream) EndResponse(stream);
    }

    /// <summary>Our FIN went out: the response is complete.</summary>
    private void EndResponse(Http3RequestStream stream)
    {
        stream.SendDone = true;
        _events.Enqueue(new StreamCompleted(stream.Id));
        // RFC 9114 §4.1.1: a complete response before the whole request; a refused body is not wanted, so the client is
        // asked to stop with H3_NO_ERROR at once. Otherwise the rest is read while the handler runs, and refused once it
        // has returned (HandlerCompleted).
        if (!stream.ReceiveDone && (stream.BodyRefused || !stream.HandlerRunning)) StopReadingAfterResponse(stream);
        TryForget(stream);
    }

    private void StopReadingAfterResponse(Http3RequestStream stream)
    {
        _actions.Enqueue(new StopReceivingStream(stream.Id, (long)Http3ErrorCode.NoError));
        stream.ReceiveDone = true;
        if (stream.Blocked) _decoder.CancelStream(stream.Id);
        stream.Blocked = false;
    }

    /// <summary>Writes a HEADERS frame into <see cref="_frames"/>: the response head, or trailers when <paramref name="status"/> is 0.</summary>
    private void WriteHeadersFrame(int status, IReadOnlyList<HeaderField> headers, int? contentLength)
    {
        var section = _section;
        section.ResetWrittenCount();
        QpackEncoder.WriteSectionPrefix(section);
        if (status != 0) QpackEncoder.WriteStatus(section, status);
        var hasLength = false;
        for (var i = 0; i < headers.Count; i++)
        {
            var name = headers[i].Name.Span;
            // RFC 9114 §4.2: connection-specific fields do not exist in HTTP/3; an application written for HTTP/1.1
            // may still set them.
            if (IsConnectionSpecific(name)) continue;
            if (name.SequenceEqual("content-length"u8)) hasLength = true;
            if (ContainsUpper(name))
            {
                // §4.2: field names are lower case on the wire.
                var lowered = new byte[name.Length];
                System.Text.Ascii.ToLower(name, lowered, out _);
                QpackEncoder.WriteFieldLine(section, lowered, headers[i].Value.Span);
                continue;
            }

            QpackEncoder.WriteFieldLine(section, name, headers[i].Value.Span);
        }

        if (contentLength is { } length && !hasLength)
        {
            Span<byte> digits = stackalloc byte[11];
            length.TryFormat(digits, out var count, provider: CultureInfo.InvariantCulture);
            QpackEncoder.WriteFieldLine(section, "content-length"u8, digits[..count]);
        }

        Http3FrameWriter.WriteHeaders(_frames, section.WrittenSpan);
    }

    private void WriteDataFrame(ReadOnlySpan<byte> data)
    {
        Http3FrameWriter.WriteDataHeader(_frames, data.Length);
        _frames.Write(data);
    }

    private static bool IsConnectionSpecific(ReadOnlySpan<byte> name) =>
        System.Text.Ascii.EqualsIgnoreCase(name, "connection"u8) || System.Text.Ascii.EqualsIgnoreCase(name, "keep-alive"u8)
        || System.Text.Ascii.EqualsIgnoreCase(name, "proxy-connection"u8) || System.Text.Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8)
        || System.Text.Ascii.EqualsIgnoreCase(name, "upgrade"u8);

    private static bool ContainsUpper(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (b is >= (byte)'A' and <= (byte)'Z') return true;
        }

        return false;
    }
}
