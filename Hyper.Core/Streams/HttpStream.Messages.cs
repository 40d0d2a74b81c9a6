using System.Runtime.CompilerServices;
using Hyper.Core.Application;

namespace Hyper.Core.Streams;

// The ASGI receive/send pair of one request.
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
            if (BufferedChunks > 0 || _bodyEnded && !_bodyDelivered) break;
            if (_bodyEnded)
            {
                // The whole body was delivered: ASGI's next event is http.disconnect, when the client goes away
                // or the response completes. Reading on is how a client that leaves is noticed.
                if (!await _driver.PumpAsync(this) && !_aborted && _state != HttpResponseState.Done)
                {
                    _aborted = true;
                }
                continue;
            }
            if (!_bodyWanted)
            {
                _bodyWanted = true;
                if (_head.ExpectsContinue) await WantBodyAsync();
            }
            if (!await _driver.PumpAsync() && BufferedChunks == 0 && !_bodyEnded)
            {
                _aborted = true;
            }
        }

        if (BufferedChunks == 0)
        {
            _bodyDelivered = true;
            return HttpRequest.Empty;
        }
        return TakeBodyChunk();
    }

    /// <summary>The next buffered body chunk as <c>http.request</c>; <c>more_body</c> is false on the last one.</summary>
    private HttpRequest TakeBodyChunk()
    {
        var chunk = _bodyChunks!.Dequeue();
        var more = BufferedChunks > 0 || !_bodyEnded;
        if (!more) _bodyDelivered = true;
        return new HttpRequest(chunk, more);
    }

    private bool _bodyDelivered;

    private int BufferedChunks => _bodyChunks?.Count ?? 0;

    /// <summary>True once a receive() waiting for http.disconnect may return.</summary>
    internal bool IsWaitOver => _aborted || _state == HttpResponseState.Done;

    private async ValueTask WantBodyAsync()
    {
        await _driver.EnterAsync();
        try
        {
            _driver.Protocol.RequestBodyWanted(Id, _driver.Now, _driver.Writer);
            _driver.DispatchEvents();
            await _driver.FlushLockedAsync();
        }
        finally
        {
            _driver.Exit();
        }
    }

    // Pooled state machines: these suspend once per request on the hot path; a fresh box each time would be
    // most of what a request allocates.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(AsgiMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Task? waitForRoom = null;
        await _driver.EnterAsync();
        try
        {
            if (_aborted) throw new ClientDisconnectedException();
            var protocol = _driver.Protocol;
            var output = _driver.Writer;
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
                    var headers = _driver.ComposeHeaders(startMessage.Headers);
                    if (!body.MoreBody && !startMessage.Trailers)
                    {
                        protocol.SendCompleteResponse(Id, startMessage.Status, headers, body.Body.Span, _driver.Now, output);
                        _state = HttpResponseState.Done;
                    }
                    else
                    {
                        protocol.StartResponse(Id, startMessage.Status, headers, endStream: false, _driver.Now, output);
                        _state = HttpResponseState.Streaming;
                        SendBodyChunk(body);
                    }
                    _bodyBytes += body.Body.Length;
                    break;

                case HttpResponseBody body when _state == HttpResponseState.Streaming:
                    SendBodyChunk(body);
                    _bodyBytes += body.Body.Length;
                    break;

                case HttpResponseEarlyHint hint when _state == HttpResponseState.Initial:
                    SendEarlyHint(hint);
                    break;

                case HttpResponsePush push when _state < HttpResponseState.Done:
                    SendPush(push);
                    break;

                case HttpResponseTrailers trailers when _state == HttpResponseState.AwaitingTrailers:
                    if (trailers.MoreTrailers) throw new NotSupportedException("more_trailers is not supported yet: send all trailers in one message.");
                    protocol.SendTrailers(Id, trailers.Headers, _driver.Now, output);
                    _state = HttpResponseState.Done;
                    break;

                default:
                    throw new UnexpectedMessageException(_state.ToString(), message.Type);
            }
            _driver.DispatchEvents();
            if (_driver.IsMultiplexed)
            {
                // Many streams share the connection: their writes leave together in one flush soon after, rather
                // than one send per response (the flush waits when too much is unflushed: backpressure stays).
                await _driver.FlushSoonLockedAsync();
                // Flow control (RFC 9113 §5.2): past the stream's response buffer, send() waits for the peer's window.
                waitForRoom = PrepareWaitForRoom();
            }
            else
            {
                if (_state != HttpResponseState.Done || !_driver.HasBufferedInput) await _driver.FlushLockedAsync();
            }
            if (!_driver.IsMultiplexed && _state == HttpResponseState.Done && _driver.IsPumping)
            {
                // A receive() waiting for http.disconnect in another task can return now.
                _driver.WakeReader();
            }
        }
        finally
        {
            _driver.Exit();
        }
        if (waitForRoom is not null) await waitForRoom;
    }

    private void SendBodyChunk(HttpResponseBody body)
    {
        var end = !body.MoreBody;
        var trailers = _start!.Trailers;
        if (!body.Body.IsEmpty || end && !trailers)
        {
            _driver.Protocol.SendBody(Id, body.Body.Span, end && !trailers, _driver.Now, _driver.Writer);
        }
        if (end) _state = trailers ? HttpResponseState.AwaitingTrailers : HttpResponseState.Done;
    }
}
