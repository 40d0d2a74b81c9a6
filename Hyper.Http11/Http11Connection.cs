using System.Buffers;
using Hyper.Core.Protocols;
using Hyper.Http11.Parsing;
using Hyper.Http11.Writing;

namespace Hyper.Http11;

/// <summary>
/// The sans-IO HTTP/1.1 server side of one connection (RFC 9112): bytes and time in, events out; response
/// commands in, bytes out. No clock, thread, lock or socket is touched here.
/// <para>
/// Theory of operation. Requests are handled strictly one at a time. The read side (<see cref="Http11ReadState"/>)
/// parses a head, then reads the body per its framing; once the request is fully read, parsing pauses until the
/// response is written (h11's PAUSED), so pipelined requests are answered in order and a body byte is never
/// parsed as a request. When the response ends before the body is read, the rest of the body is drained per its
/// framing, under the same limits, before the next head is parsed. The write side (<see cref="Http11WriteState"/>)
/// chooses the response framing and whether the connection persists. Any rule broken by the peer produces one
/// <see cref="RequestRejected"/>; nothing is parsed after it, and the answer to it closes the connection.
/// </para>
/// </summary>
public sealed partial class Http11Connection : IStreamProtocol
{
    private readonly Http11ConnectionSettings _settings;
    private readonly Http11RequestParser _parser;
    private readonly Queue<ProtocolEvent> _events = new();

    private Http11ReadState _read = Http11ReadState.AwaitingHead;
    private Http11WriteState _write = Http11WriteState.NotStarted;
    private long _streamId;
    private ValidatedRequest? _request;
    private ContentLengthBodyDecoder? _lengthBody;
    private ChunkedBodyDecoder? _chunkedBody;
    private bool _drainingBody;
    private bool _continueSent;
    private bool _shuttingDown;

    public Http11Connection(Http11ConnectionSettings settings, ConnectionInfo connection)
    {
        _settings = settings;
        Connection = connection;
        _parser = new Http11RequestParser(settings.Limits);
    }

    public ConnectionInfo Connection { get; }

    public bool ShouldClose { get; private set; }

    public bool WantsInput => !ShouldClose && (_read is Http11ReadState.ReadingBody or Http11ReadState.Tunnel || (_read == Http11ReadState.AwaitingHead && !_shuttingDown));

    public bool TryDequeueEvent(out ProtocolEvent? protocolEvent) => _events.TryDequeue(out protocolEvent);

    public SequencePosition Receive(in ReadOnlySequence<byte> data, long now, IBufferWriter<byte> output)
    {
        LearnTime(now);
        if (data.Length > _bufferedLength) _lastInputAt = now;

        long consumed = 0;
        try
        {
            if (!ShouldClose) Process(data, now, ref consumed);
        }
        catch (Http11ProtocolException e)
        {
            Reject(e.Reason, e.Message);
        }
        _bufferedLength = data.Length - consumed;
        return data.GetPosition(consumed);
    }

    private void Process(in ReadOnlySequence<byte> data, long now, ref long consumed)
    {
        while (true)
        {
            switch (_read)
            {
                case Http11ReadState.AwaitingHead when !_shuttingDown:
                    var rest = data.Slice(consumed);
                    if (rest.IsEmpty) return;
                    if (!_parser.HasStarted) _headStartedAt = now;
                    var parsed = _parser.TryParse(rest, out var headLength);
                    if (parsed is null) return;
                    consumed += headLength;
                    StartRequest(RequestHeadValidator.Validate(parsed.Value, _settings.Limits), now);
                    break;
                case Http11ReadState.ReadingBody:
                    if (!ReadBody(data, ref consumed, now)) return;
                    break;
                case Http11ReadState.Tunnel:
                    ReceiveTunnelled(data, ref consumed);
                    return;
                default:
                    return;
            }
        }
    }

    private void StartRequest(ValidatedRequest request, long now)
    {
        _request = request;
        _streamId++;
        _write = Http11WriteState.NotStarted;
        _continueSent = false;
        _drainingBody = false;
        _bodyRateClockRunning = false;
        _minBodyRate = _settings.MinRequestBodyRate;
        _minBodyRateGrace = _settings.MinRequestBodyRateGrace;
        _events.Enqueue(new RequestReceived(_streamId, request.Head));

        switch (request.Framing)
        {
            case BodyFraming.ContentLength:
                _lengthBody = new ContentLengthBodyDecoder(request.Head.ContentLength!.Value);
                _read = Http11ReadState.ReadingBody;
                break;
            case BodyFraming.Chunked:
                _chunkedBody = new ChunkedBodyDecoder(_settings.Limits);
                _read = Http11ReadState.ReadingBody;
                break;
            default:
                _read = Http11ReadState.BodyComplete;
                _events.Enqueue(new RequestBodyEnded(_streamId, null));
                return;
        }

        // A client that sent Expect: 100-continue waits for the 100 before sending: the rate clock starts then.
        if (!request.Head.ExpectsContinue) StartBodyRateClock(now);
    }

    /// <summary>Reads body bytes from <paramref name="data"/> at <paramref name="consumed"/>; true when the body is complete.</summary>
    private bool ReadBody(in ReadOnlySequence<byte> data, ref long consumed, long now)
    {
        if (_lengthBody is { } length)
        {
            var slice = length.Read(data.Slice(consumed));
            consumed += slice.Length;
            DeliverBody(slice);
            if (!length.IsComplete) return false;
            FinishBody(null, now);
            return true;
        }

        var chunked = _chunkedBody!;
        while (true)
        {
            var step = chunked.Decode(data.Slice(consumed), out var used, out var slice);
            consumed += used;
            switch (step)
            {
                case ChunkedStep.Data:
                    DeliverBody(slice);
                    break;
                case ChunkedStep.Completed:
                    FinishBody(chunked.Trailers, now);
                    return true;
                case ChunkedStep.NeedMore:
                    return false;
            }
        }
    }

    private void DeliverBody(in ReadOnlySequence<byte> slice)
    {
        if (slice.IsEmpty) return;
        _bodyRateBytes += slice.Length;
        if (!_drainingBody) _events.Enqueue(new RequestBodyReceived(_streamId, slice));
    }

    private void FinishBody(IReadOnlyList<Hyper.Core.Application.HeaderField>? trailers, long now)
    {
        _lengthBody = null;
        _chunkedBody = null;
        _read = Http11ReadState.BodyComplete;
        if (!_drainingBody) _events.Enqueue(new RequestBodyEnded(_streamId, trailers));
        if (_write == Http11WriteState.Complete) CompleteStream(now);
    }

    /// <summary>Both the request and its response are done: the next head may be parsed.</summary>
    private void CompleteStream(long now)
    {
        _events.Enqueue(new StreamCompleted(_streamId));
        _request = null;
        _drainingBody = false;
        _read = Http11ReadState.AwaitingHead;
        _write = Http11WriteState.NotStarted;
        _idleSince = now;
        _lastInputAt = now;
        if (_shuttingDown) ShouldClose = true;
    }

    /// <summary>Queues the one rejection for a broken rule; the connection reads nothing more.</summary>
    private void Reject(Http11RejectReason reason, string detail)
    {
        var liveStream = _request is not null;
        _read = Http11ReadState.Rejected;
        if (liveStream && _write != Http11WriteState.NotStarted)
        {
            // The response is already on the wire: there is no way to answer, so the connection just closes.
            if (_write == Http11WriteState.SendingBody) _events.Enqueue(new StreamAborted(_streamId, detail));
            ShouldClose = true;
            return;
        }
        if (!liveStream) _streamId++;
        _events.Enqueue(new RequestRejected(_streamId, reason.StatusCode(), detail));
    }
}
