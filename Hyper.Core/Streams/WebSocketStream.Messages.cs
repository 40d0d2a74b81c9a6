using Hyper.Core.Application;
using Hyper.Core.WebSockets;

namespace Hyper.Core.Streams;

// The ASGI receive/send pair of a WebSocket session: messages become frames, frames become messages.
internal sealed partial class WebSocketStream
{
    private async ValueTask<AsgiMessage> ReceiveAsync()
    {
        if (!_connectDelivered)
        {
            _connectDelivered = true;
            return WebSocketConnect.Instance;
        }
        while (true)
        {
            Task wait;
            var wakeSession = false;
            AsgiMessage? message = null;
            lock (_sync)
            {
                if (_messages.TryDequeue(out var queued))
                {
                    message = queued.Message;
                    var before = _queuedBytes;
                    _queuedBytes -= queued.Size;
                    // Reading was paused for this application, and it has now taken enough to read on.
                    wakeSession = before >= ReceiveQueueLimit && _queuedBytes < ReceiveQueueLimit;
                    wait = Task.CompletedTask;
                }
                else if (_disconnect is { } disconnect)
                {
                    return disconnect;
                }
                else
                {
                    wait = (_messageWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                }
            }
            if (message is not null)
            {
                if (wakeSession) Wake();
                return message;
            }
            await wait;
        }
    }

    private async ValueTask SendAsync(AsgiMessage message)
    {
        await _turn.WaitAsync();
        try
        {
            switch (message)
            {
                case WebSocketAccept accept when _state == WebSocketSessionState.Handshake:
                    await AcceptAsync(accept);
                    return;
                case WebSocketClose when _state == WebSocketSessionState.Handshake:
                    // ASGI: closing before accepting refuses the handshake with 403.
                    await RespondAsync(403, "Forbidden", []);
                    return;
                case WebSocketHttpResponseStart start when _state == WebSocketSessionState.Handshake:
                    // A 1xx is no final answer, and a 2xx would read as an acceptance over HTTP/2 (RFC 8441 §5).
                    if (start.Status is < 300 or > 999) throw new ArgumentOutOfRangeException(nameof(message), start.Status, "a denial response has a status of 300 to 999");
                    _denial = start;
                    _state = WebSocketSessionState.Denying;
                    return;
                case WebSocketHttpResponseBody body when _state == WebSocketSessionState.Denying:
                    await SendDenialBodyAsync(body);
                    return;
                case WebSocketSend send when _state == WebSocketSessionState.Open:
                    await SendMessageAsync(send);
                    return;
                case WebSocketClose close when _state == WebSocketSessionState.Open:
                    await CloseAsync(close);
                    return;
                case WebSocketSend or WebSocketClose when _state == WebSocketSessionState.Done && _socket is not null && !_appClosed:
                    // ASGI 2.4: send after the connection is gone raises an OSError-like error.
                    throw new ClientDisconnectedException("The WebSocket is closed.");
                default:
                    throw new UnexpectedMessageException(_appClosed ? "Closed" : _state.ToString(), message.Type);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    private async ValueTask AcceptAsync(WebSocketAccept accept)
    {
        var handshake = _handshake!;
        var headers = new List<HeaderField>(handshake.ResponseHeaders);
        if (accept.Subprotocol is { } subprotocol)
        {
            // RFC 6455 §4.2.2 item 5.5: the server picks one of the values the client offered.
            if (!handshake.Subprotocols.Contains(subprotocol, StringComparer.Ordinal))
                throw new ArgumentException($"Subprotocol '{subprotocol}' was not offered by the client.", nameof(accept));
            headers.Add(HeaderField.Of("sec-websocket-protocol", subprotocol));
        }
        if (accept.Headers is { } extra)
        {
            foreach (var field in extra)
            {
                // The handshake's own fields are the server's to set.
                if (field.NameIs("sec-websocket-accept"u8) || field.NameIs("sec-websocket-extensions"u8) || field.NameIs("upgrade"u8)
                    || field.NameIs("connection"u8) || field.NameIs("sec-websocket-protocol"u8) && accept.Subprotocol is not null)
                    continue;
                headers.Add(field);
            }
        }
        _tunnelStarted = true;
        RecordResponse(handshake.Status, headers);
        if (!await _connection.SubmitAsync(this, StreamCommand.StartResponse(handshake.Status, headers, withBody: false, ReadOnlyMemory<byte>.Empty, endStream: false)))
        {
            EndSession(WebSocketCloseStatus.AbnormalClosure, "");
            throw new ClientDisconnectedException();
        }
        _socket = new WebSocketConnection(WebSocketRole.Server, _limits, handshake.Compression, Now);
        _state = WebSocketSessionState.Open;
        Wake();
    }

    private async ValueTask SendDenialBodyAsync(WebSocketHttpResponseBody body)
    {
        var command = _denial is { } start
            ? StreamCommand.StartResponse(start.Status, start.Headers, withBody: true, body.Body, endStream: !body.MoreBody)
            : StreamCommand.SendBody(body.Body, endStream: !body.MoreBody);
        if (_denial is { } denial) RecordResponse(denial.Status, denial.Headers);
        RecordSent(body.Body.Length);
        _denial = null;
        var applied = await _connection.SubmitAsync(this, command);
        if (!applied || !body.MoreBody) EndSession(WebSocketCloseStatus.AbnormalClosure, "");
        if (!applied) throw new ClientDisconnectedException();
    }

    private async ValueTask SendMessageAsync(WebSocketSend send)
    {
        var socket = _socket!;
        if (socket.State != WebSocketConnectionState.Open) throw Closed();
        if (send.Text is { } text == send.Bytes.HasValue)
            throw new ArgumentException("websocket.send carries exactly one of text and bytes.", nameof(send));
        if (send.Text is not null) socket.SendText(System.Text.Encoding.UTF8.GetBytes(send.Text), _output);
        else socket.SendBinary(send.Bytes!.Value.Span, _output);
        await FlushOutputAsync();
        if (IsAborted) throw new ClientDisconnectedException();
    }

    private async ValueTask CloseAsync(WebSocketClose close)
    {
        var socket = _socket!;
        if (socket.State != WebSocketConnectionState.Open) throw Closed();
        // Validates the code and the reason's length before anything is written (RFC 6455 §5.5, §7.4).
        socket.Close(close.Code, close.Reason ?? "", Now, _output);
        _appClosed = true;
        await FlushOutputAsync();
        // The session loop waits for the peer's Close within the close timeout.
        Wake();
    }

    // After the application's own close, sending is its mistake; after the peer's, the peer has gone.
    private Exception Closed() => _appClosed
        ? new UnexpectedMessageException("Closed", "websocket.send")
        : new ClientDisconnectedException("The WebSocket is closed.");
}
