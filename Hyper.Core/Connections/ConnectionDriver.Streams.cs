using System.Runtime.CompilerServices;
using Hyper.Core.Concurrency;
using Hyper.Core.Hosting;
using Hyper.Core.Protocols;
using Hyper.Core.Streams;

namespace Hyper.Core.Connections;

// The stream seam: how the driver makes a stream for a request and what a stream may ask of it. Streams see only
// IStreamConnection; the protocol and the output stay the driver's.
internal sealed partial class ConnectionDriver : IStreamConnection
{
    private Dictionary<long, StreamSignal>? _inputWaits;
    private Dictionary<long, StreamSignal>? _writableWaits;

    /// <summary>The first of the server's stream handler factories that serves <paramref name="head"/> makes its stream.</summary>
    private IStreamHandler CreateHandler(long streamId, RequestHead head, IStreamHandler? spare)
    {
        var factories = _server.StreamHandlers;
        for (var i = 0; i < factories.Count; i++)
        {
            if (factories[i].TryCreate(this, streamId, head, spare) is { } handler) return handler;
        }
        throw new InvalidOperationException("No stream handler factory serves this request; the list must end with a catch-all.");
    }

    ServerContext IStreamConnection.Server => _server;
    ConnectionInfo IStreamConnection.Info => _info;
    ITaskScope IStreamConnection.Scope => Scope;
    bool IStreamConnection.IsMultiplexed => _multiplexed is not null;

    // A pushed stream (server-initiated: even ids in HTTP/2) cannot push in turn (RFC 9113 §8.4).
    bool IStreamConnection.CanPush(long streamId) => _multiplexed is { PushAllowed: true } && streamId % 2 == 1;

    ValueTask<bool> IStreamConnection.SubmitAsync(IStreamHandler stream, StreamCommand command) => SubmitAsync(stream, command);

    ValueTask<bool> IStreamConnection.WaitForInputAsync(IStreamHandler stream) =>
        // One request at a time: nobody reads unless the stream does. Multiplexed: the reader runs on its own.
        _multiplexed is null ? PumpAsync(stream) : WaitForStreamInputAsync(stream);

    void IStreamConnection.Wake(IStreamHandler stream)
    {
        // One request at a time: the stream's wait is the owner's read, which a cancel ends (the pump looks again).
        if (_multiplexed is null) _reader.CancelPendingRead();
        // Multiplexed: the stream's signal lives under the gate, which this caller (a timer thread, say) may not hold.
        else CallbackGuard.Forget(WakeStreamAsync(stream.Id), "stream wake-up");
    }

    private async Task WakeStreamAsync(long streamId)
    {
        await EnterAsync();
        try
        {
            WakeStream(streamId);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Pooled state machines: a send suspends once per request on the hot path.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> SubmitAsync(IStreamHandler stream, StreamCommand command)
    {
        Task? waitForRoom = null;
        Task? waitForFlush = null;
        var flushHere = false;
        await EnterAsync();
        try
        {
            if (stream.IsAborted) return false;
            Apply(stream.Id, command);
            DispatchEvents();
            if (command.Kind == StreamCommandKind.Abort)
            {
                // The connection's state is suspect after a failed response: close once what is written has gone.
                _abort = true;
                return true;
            }
            if (_multiplexed is not null)
            {
                // Applied, not flushed: the owner flushes once for everything the streams wrote meanwhile.
                if (_writer.UnflushedBytes > 0) _wakeup.Set();
                if (command.Kind is not (StreamCommandKind.BodyConsumed or StreamCommandKind.BodyWanted))
                {
                    // Backpressure: past this much unflushed output, the send waits for the owner's flush.
                    if (_writer.UnflushedBytes >= FlushNowThreshold) waitForFlush = WhenFlushedLocked();
                    // Flow control (RFC 9113 §5.2): past the stream's response buffer, send() waits for the peer's window.
                    waitForRoom = PrepareWaitForRoom(stream);
                }
            }
            else
            {
                // One request at a time: the stream's flow is the connection's own (it runs inline in the owner
                // loop), so it flushes, outside the gate. A finished response with a pipelined request behind it
                // leaves with that one's response.
                flushHere = !command.EndStream || !_hasBufferedInput;
                // A receive() waiting for http.disconnect in another task can return now.
                if (command.EndStream && _pumping) WakeOwner();
            }
        }
        finally
        {
            _gate.Release();
        }
        if (flushHere) await FlushAsync();
        if (waitForFlush is not null)
        {
            await waitForFlush;
            if (_abort) throw new Application.ClientDisconnectedException();
        }
        if (waitForRoom is not null) await waitForRoom;
        return true;
    }

    /// <summary>Applies one stream command to the protocol. Caller holds the gate.</summary>
    private void Apply(long streamId, in StreamCommand command)
    {
        var now = Now;
        switch (command.Kind)
        {
            case StreamCommandKind.StartResponse:
                _protocol.StartResponse(streamId, command.Status, ComposeHeaders(command.Headers!), endStream: false, now, _writer);
                if (command.Status == 101 && _multiplexed is null)
                {
                    // Switching Protocols (RFC 9110 §15.2.2): bytes already read after the request head are the stream's
                    // now; the protocol takes them on the next read, which must not wait for new ones.
                    _readBuffered = true;
                    WakeOwner();
                }
                if (command.WithBody) _protocol.SendBody(streamId, command.Body.Span, command.EndStream, now, _writer);
                break;
            case StreamCommandKind.CompleteResponse:
                _protocol.SendCompleteResponse(streamId, command.Status, ComposeHeaders(command.Headers!), command.Body.Span, now, _writer);
                break;
            case StreamCommandKind.Body:
                _protocol.SendBody(streamId, command.Body.Span, command.EndStream, now, _writer);
                break;
            case StreamCommandKind.Trailers:
                _protocol.SendTrailers(streamId, command.Headers!, now, _writer);
                break;
            case StreamCommandKind.Informational:
                _protocol.SendInformational(streamId, command.Status, command.Headers!, _writer);
                break;
            case StreamCommandKind.Push:
                _multiplexed?.Push(streamId, command.PushRequest!, now, _writer);
                break;
            case StreamCommandKind.BodyWanted:
                _protocol.RequestBodyWanted(streamId, now, _writer);
                break;
            case StreamCommandKind.BodyConsumed:
                _multiplexed?.RequestBodyConsumed(streamId, command.Bytes, now, _writer);
                break;
            case StreamCommandKind.MinRequestBodyRate:
                _protocol.SetMinRequestBodyRate(streamId, command.Rate, command.Grace, now);
                // The protocol's next deadline may have moved.
                ArmTimer();
                break;
            case StreamCommandKind.Abort:
                _protocol.AbortStream(streamId, _writer);
                break;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> WaitForStreamInputAsync(IStreamHandler stream)
    {
        Task wait;
        await EnterAsync();
        try
        {
            // Checked under the gate, where the reader hands news over: nothing can slip between check and wait.
            if (stream.IsOver || stream.HasInput) return true;
            wait = SignalFor(ref _inputWaits, stream.Id).Prepare();
        }
        finally
        {
            _gate.Release();
        }
        await wait;
        return true;
    }

    /// <summary>Under the gate, after a send: the task to await while the protocol holds too much of this stream's response.</summary>
    private Task? PrepareWaitForRoom(IStreamHandler stream)
    {
        if (stream.IsAborted || _multiplexed!.GetBufferedResponseBytes(stream.Id) == 0) return null;
        return SignalFor(ref _writableWaits, stream.Id).Prepare();
    }

    private static StreamSignal SignalFor(ref Dictionary<long, StreamSignal>? waits, long streamId)
    {
        waits ??= new Dictionary<long, StreamSignal>();
        if (!waits.TryGetValue(streamId, out var signal)) waits[streamId] = signal = new StreamSignal();
        return signal;
    }

    /// <summary>Under the gate: news for a stream; its waiting receive and send look again.</summary>
    private void WakeStream(long streamId)
    {
        if (_inputWaits is not null && _inputWaits.TryGetValue(streamId, out var input)) input.Set();
        if (_writableWaits is not null && _writableWaits.TryGetValue(streamId, out var writable)) writable.Set();
    }

    private void WakeAllStreams()
    {
        if (_inputWaits is not null) foreach (var signal in _inputWaits.Values) signal.Set();
        if (_writableWaits is not null) foreach (var signal in _writableWaits.Values) signal.Set();
    }

    private void ForgetStreamWaits(long streamId)
    {
        _inputWaits?.Remove(streamId);
        _writableWaits?.Remove(streamId);
    }
}
