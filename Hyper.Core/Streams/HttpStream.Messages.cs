using System.Runtime.CompilerServices;
using Hyper.Core.Application;

namespace Hyper.Core.Streams;

// The ASGI receive/send pair of one request: ASGI messages become stream commands for the connection.
internal sealed partial class HttpStream
{
    // Pooled state machines: these suspend once per request on the hot path; a fresh box each time would be
    // most of what a request allocates.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AsgiMessage> ReceiveAsync()
    {
        while (true)
        {
            if (_aborted || _state == HttpResponseState.Done) return HttpDisconnect.Instance;
            HttpRequest? message = null;
            lock (_sync)
            {
                if (BufferedChunks > 0) message = TakeBodyChunk();
                else if (_bodyEnded && !_bodyDelivered)
                {
                    _bodyDelivered = true;
                    message = HttpRequest.Empty;
                }
            }
            if (message is not null)
            {
                // The bytes have left the stream's buffer: a protocol with flow control may let the peer send that
                // much more (RFC 9113 §6.9).
                if (!message.Body.IsEmpty && _connection.IsMultiplexed)
                {
                    try
                    {
                        await _connection.SubmitAsync(this, StreamCommand.BodyConsumed(message.Body.Length));
                    }
                    catch (ClientDisconnectedException)
                    {
                        return HttpDisconnect.Instance;
                    }
                }
                return message;
            }
            if (!_bodyEnded && !_bodyWanted)
            {
                _bodyWanted = true;
                if (_head.ExpectsContinue) await _connection.SubmitAsync(this, StreamCommand.BodyWanted());
            }
            // After the whole body, the next event is http.disconnect: when the client leaves or the response
            // completes. Waiting for input is how a client that leaves is noticed.
            if (!await _connection.WaitForInputAsync(this) && !HasInput) _aborted = true;
        }
    }

    /// <summary>Under <see cref="_sync"/>: the next body chunk as <c>http.request</c>; <c>more_body</c> is false on the last one.</summary>
    private HttpRequest TakeBodyChunk()
    {
        var chunk = _bodyChunks!.Dequeue();
        var more = BufferedChunks > 0 || !_bodyEnded;
        if (!more) _bodyDelivered = true;
        return new HttpRequest(chunk, more);
    }

    private bool _bodyDelivered;

    private int BufferedChunks => _bodyChunks?.Count ?? 0;

    // Pooled state machines: these suspend once per request on the hot path; a fresh box each time would be
    // most of what a request allocates.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(AsgiMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_aborted) throw new ClientDisconnectedException();
        StreamCommand command;
        switch (message)
        {
            case HttpResponseStart start when _state == HttpResponseState.Initial:
                if (start.Status is < 100 or > 999) throw new ArgumentOutOfRangeException(nameof(message), start.Status, "status must be a three-digit code");
                _start = start;
                _status = start.Status;
                _sentHeaders = start.Headers;
                _state = HttpResponseState.StartHeld;
                return;

            case HttpResponseBody body when _state == HttpResponseState.StartHeld:
                var startMessage = _start!;
                if (!body.MoreBody && !startMessage.Trailers)
                {
                    command = StreamCommand.CompleteResponse(startMessage.Status, startMessage.Headers, body.Body);
                    _state = HttpResponseState.Done;
                }
                else
                {
                    _state = HttpResponseState.Streaming;
                    var withBody = BodyChunkNeeded(body, out var endStream);
                    command = StreamCommand.StartResponse(startMessage.Status, startMessage.Headers, withBody, body.Body, endStream);
                }
                _bodyBytes += body.Body.Length;
                break;

            case HttpResponseBody body when _state == HttpResponseState.Streaming:
                _bodyBytes += body.Body.Length;
                if (!BodyChunkNeeded(body, out var ends)) return;
                command = StreamCommand.SendBody(body.Body, ends);
                break;

            case HttpResponseEarlyHint hint when _state == HttpResponseState.Initial:
                command = EarlyHint(hint);
                break;

            case HttpResponsePush push when _state < HttpResponseState.Done:
                if (PushRequest(push) is not { } request) return;
                command = StreamCommand.Push(request);
                break;

            case HttpResponseTrailers trailers when _state == HttpResponseState.AwaitingTrailers:
                if (trailers.MoreTrailers) throw new NotSupportedException("more_trailers is not supported yet: send all trailers in one message.");
                command = StreamCommand.SendTrailers(trailers.Headers);
                _state = HttpResponseState.Done;
                break;

            default:
                throw new UnexpectedMessageException(_state.ToString(), message.Type);
        }
        if (!await _connection.SubmitAsync(this, command)) throw new ClientDisconnectedException();
    }

    /// <summary>
    /// Moves the state past a body chunk; false when the chunk needs no command (empty, and the response goes on,
    /// or its end is the trailers' job). <paramref name="endStream"/>: this chunk ends the response.
    /// </summary>
    private bool BodyChunkNeeded(HttpResponseBody body, out bool endStream)
    {
        var end = !body.MoreBody;
        var trailers = _start!.Trailers;
        if (end) _state = trailers ? HttpResponseState.AwaitingTrailers : HttpResponseState.Done;
        endStream = end && !trailers;
        return !body.Body.IsEmpty || endStream;
    }
}
