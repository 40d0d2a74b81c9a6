using Hyper.Core.Application;
using Hyper.Core.Concurrency;
using Hyper.Core.WebSockets;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Streams;

// The session loop: reading, the protocol's own output, timers, shutdown and the end of the transport.
internal sealed partial class WebSocketStream
{
    private async Task RunSessionAsync()
    {
        while (true)
        {
            lock (_sync) _wakeRequested = false;
            bool over, read;
            await _turn.WaitAsync();
            try
            {
                (over, read) = await StepAsync();
            }
            finally
            {
                _turn.Release();
            }
            if (over) return;
            if (read)
            {
                // HTTP/1.1: this is the connection's read (nobody else reads a tunnel); HTTP/2: the reader's news.
                if (!await _connection.WaitForInputAsync(this) && !HasInput)
                {
                    lock (_sync) _inputEnded = true;
                }
                continue;
            }
            Task wait;
            lock (_sync)
            {
                if (_wakeRequested || _aborted) continue;
                wait = (_sessionWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            await wait;
        }
    }

    /// <summary>
    /// One look at everything that may have happened. Returns whether the session is over, and whether it should wait
    /// for input next (or only for a wake-up). Caller holds <see cref="_turn"/>.
    /// </summary>
    private async ValueTask<(bool Over, bool Read)> StepAsync()
    {
        byte[][] chunks;
        bool aborted, inputEnded, shutdown, appFinished, appFailed;
        lock (_sync)
        {
            chunks = _input.Count == 0 ? [] : [.. _input];
            _input.Clear();
            aborted = _aborted;
            inputEnded = _inputEnded;
            shutdown = _shutdownRequested;
            appFinished = _appFinished;
            appFailed = _appFailed;
        }

        switch (_state)
        {
            case WebSocketSessionState.Done:
                return (true, false);
            case WebSocketSessionState.Handshake or WebSocketSessionState.Denying:
                if (aborted)
                {
                    EndSession(WebSocketCloseStatus.AbnormalClosure, "");
                    return (true, false);
                }
                if (appFinished)
                {
                    await AnswerUnacceptedAsync(appFailed);
                    return (true, false);
                }
                return (false, false);
        }

        var socket = _socket!;
        if (aborted)
        {
            // The stream was reset or the connection lost: nothing can be written any more (RFC 8441 §4: a reset is
            // an abnormal closure).
            EndSession(WebSocketCloseStatus.AbnormalClosure, "");
            return (true, false);
        }
        var now = Now;
        long fed = 0;
        foreach (var chunk in chunks)
        {
            socket.Receive(new System.Buffers.ReadOnlySequence<byte>(chunk), now);
            fed += chunk.Length;
        }
        // RFC 9113 §6.9: what the WebSocket took may be sent again; what the application has not taken holds the window.
        if (fed > 0 && _connection.IsMultiplexed) await _connection.SubmitAsync(this, StreamCommand.BodyConsumed((int)fed));
        if (inputEnded) socket.ReceiveCompleted(now);
        if (socket.State == WebSocketConnectionState.Open)
        {
            // ASGI: an application that fails after accepting closes with 1011; one that just returns, 1000. Shutdown
            // says Going Away (RFC 6455 §7.4.1) and waits for the reply within the close timeout.
            if (appFinished) socket.Close(appFailed ? WebSocketCloseStatus.InternalError : WebSocketCloseStatus.NormalClosure, "", now, _output);
            else if (shutdown) socket.Close(WebSocketCloseStatus.GoingAway, "server shutting down", now, _output);
        }
        if (now >= socket.NextDeadline) socket.OnTimer(now);

        WebSocketClosed? closed = null;
        long queued = 0;
        while (socket.TryDequeueEvent(out var webSocketEvent))
        {
            switch (webSocketEvent)
            {
                case WebSocketMessageReceived message:
                    queued = Deliver(message);
                    break;
                case WebSocketClosed end:
                    closed = end;
                    break;
            }
        }
        socket.WritePendingOutput(_output);
        await FlushOutputAsync();
        if (closed is not null)
        {
            _connection.Server.Logger.LogDebug("WebSocket {Stream} closed: {Code} {Reason}", Id, closed.Code, closed.Reason);
            // The server closes the TCP connection (or ends its HTTP/2 stream) first, RFC 6455 §7.1.1.
            try
            {
                await _connection.SubmitAsync(this, StreamCommand.SendBody(ReadOnlyMemory<byte>.Empty, endStream: true));
            }
            catch (ClientDisconnectedException) { }
            EndSession(closed.Code, closed.Reason);
            return (true, false);
        }
        ArmTimer(socket.NextDeadline, now);
        if (queued == 0)
        {
            lock (_sync) queued = _queuedBytes;
        }
        return (false, !inputEnded && queued < ReceiveQueueLimit);
    }

    /// <summary>Queues a message for the application's receive; returns the bytes queued now.</summary>
    private long Deliver(WebSocketMessageReceived message)
    {
        var asgi = message.IsText
            ? new WebSocketReceive(System.Text.Encoding.UTF8.GetString(message.Payload.Span), null)
            : new WebSocketReceive(null, message.Payload);
        TaskCompletionSource? waiter;
        long queued;
        var size = Math.Max(1, message.Payload.Length);
        lock (_sync)
        {
            _messages.Enqueue((asgi, size));
            queued = _queuedBytes += size;
            waiter = _messageWaiter;
            _messageWaiter = null;
        }
        waiter?.TrySetResult();
        return queued;
    }

    /// <summary>The application returned (or failed) without accepting: 500 when it failed, else 403 (ASGI).</summary>
    private async ValueTask AnswerUnacceptedAsync(bool failed)
    {
        if (_state == WebSocketSessionState.Denying)
        {
            // The denial response started and was not finished: too late for a status.
            _connection.Server.Logger.LogError("Application returned without finishing its WebSocket denial response for {Path}", _scope!.Path);
            try
            {
                await _connection.SubmitAsync(this, StreamCommand.Abort());
            }
            catch (ClientDisconnectedException) { }
            EndSession(WebSocketCloseStatus.AbnormalClosure, "");
            return;
        }
        if (failed) await RespondAsync(500, "Internal Server Error", []);
        else await RespondAsync(403, "Forbidden", []);
    }

    /// <summary>Hands what was written to the connection, <c>websocket_send_buffer</c> bytes at a time. Caller holds <see cref="_turn"/>.</summary>
    private async ValueTask FlushOutputAsync()
    {
        if (_output.WrittenCount == 0) return;
        try
        {
            var data = _output.WrittenMemory;
            var part = _limits.SendBuffer;
            for (var offset = 0; offset < data.Length; offset += part)
            {
                var slice = data.Slice(offset, Math.Min(part, data.Length - offset));
                RecordSent(slice.Length);
                if (!await _connection.SubmitAsync(this, StreamCommand.SendBody(slice, endStream: false))) break;
            }
        }
        finally
        {
            // A large message's buffer is not kept for the rest of the session.
            if (_output.Capacity > 4 * _limits.SendBuffer) _output = new System.Buffers.ArrayBufferWriter<byte>(256);
            else _output.ResetWrittenCount();
        }
    }

    /// <summary>Arms the session's timer for the WebSocket's next deadline (pings, pong and close timeouts).</summary>
    private void ArmTimer(long deadline, long now)
    {
        if (deadline == Interlocked.Read(ref _armedDeadline)) return;
        Interlocked.Exchange(ref _armedDeadline, deadline);
        if (deadline == long.MaxValue)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var due = TimeSpan.FromTicks(Math.Max(0, deadline - now) + TimeSpan.TicksPerMillisecond);
        if (_timer is null) _timer = CallbackGuard.CreateTimer(_connection.Server.Time, static s => ((WebSocketStream)s!).OnTimerFired(), this, due, Timeout.InfiniteTimeSpan);
        else _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void OnTimerFired()
    {
        // Fired: the next arm must set the timer again even for the same deadline.
        Interlocked.Exchange(ref _armedDeadline, long.MaxValue);
        Wake();
    }
}
