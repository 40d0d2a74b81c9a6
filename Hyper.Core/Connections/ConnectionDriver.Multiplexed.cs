using Hyper.Core.Application;
using Hyper.Core.Protocols;
using Hyper.Core.Streams;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Connections;

// Multiplexed protocols (HTTP/2): the reader loop in RunAsync pumps continuously; every request runs as its own task
// in the connection's scope (docs/architecture.md, Layers), and events reach their stream by id. Everything here runs under the gate.
sealed partial class ConnectionDriver
{
    private void DispatchMultiplexed(ProtocolEvent protocolEvent)
    {
        var streams = _streams!;
        switch (protocolEvent)
        {
            case RequestReceived received:
                // Finished streams are reused (as HTTP/1.1 reuses its one): the receive/send pair and buffers are per
                // connection, not per request.
                var stream = CreateHandler(received.StreamId, received.Head, _freeStreams is { Count: > 0 } free ? free.Pop() : null);
                streams[received.StreamId] = stream;
                // Started after the whole batch is dispatched: a request rejected in the same batch never runs.
                _starting!.Add(stream);
                break;
            case RequestBodyReceived body:
                if (streams.TryGetValue(body.StreamId, out var target)) target.OnBody(body.Data);
                else _multiplexed!.RequestBodyConsumed(body.StreamId, (int)body.Data.Length, Now, _writer);
                break;
            case RequestBodyEnded ended:
                if (streams.TryGetValue(ended.StreamId, out target)) target.OnBodyEnded(ended.Trailers);
                break;
            case StreamAborted aborted:
                if (streams.TryGetValue(aborted.StreamId, out target)) target.OnAborted();
                break;
            case StreamCompleted completed:
                if (streams.TryGetValue(completed.StreamId, out target)) target.OnCompleted();
                break;
            case RequestRejected rejected:
                Reject(rejected);
                break;
        }
        // Whatever the news, the stream's waiting receive or send looks again (StreamWritable carries no more than that).
        WakeStream(protocolEvent.StreamId);
    }

    private void RejectMultiplexed(RequestRejected rejected)
    {
        if (!_streams!.TryGetValue(rejected.StreamId, out var stream)) return;
        if (stream.ResponseStarted)
        {
            _protocol.AbortStream(rejected.StreamId, _writer);
            stream.OnAborted();
            return;
        }
        var never = _starting!.Remove(stream);
        stream.OnAborted();
        _protocol.SendCompleteResponse(rejected.StreamId, rejected.StatusCode, ComposeHeaders([]), ReadOnlySpan<byte>.Empty, Now, _writer);
        if (never)
        {
            // Its handler never runs: the protocol stops counting it now.
            _streams.Remove(rejected.StreamId);
            _multiplexed!.HandlerCompleted(rejected.StreamId, _writer);
        }
    }

    private void StartStreams()
    {
        var starting = _starting!;
        if (starting.Count > 0)
        {
            foreach (var stream in starting) Scope.Spawn(_ => RunStreamAsync(stream));
            starting.Clear();
        }
        // A command from a stream may have moved the protocol's next deadline earlier.
        ArmTimer();
    }

    private Stack<IStreamHandler>? _freeStreams;
    private const int MaxFreeStreams = 16;

    // Above this much unflushed output a stream's send waits for the owner's flush (backpressure).
    private const long FlushNowThreshold = 32 * 1024;

    private async Task RunStreamAsync(IStreamHandler stream)
    {
        try
        {
            await stream.RunAsync();
        }
        catch (Exception ex)
        {
            _server.Logger.LogError(ex, "Request stream {Stream} failed", stream.Id);
        }
        finally
        {
            await HandlerCompletedAsync(stream);
        }
    }

    private async Task HandlerCompletedAsync(IStreamHandler stream)
    {
        await EnterAsync();
        try
        {
            _streams!.Remove(stream.Id);
            ForgetStreamWaits(stream.Id);
            if (_inputEnded || _abort) return;
            if ((_freeStreams ??= new Stack<IStreamHandler>()).Count < MaxFreeStreams) _freeStreams.Push(stream);
            _multiplexed!.HandlerCompleted(stream.Id, _writer);
            DispatchEvents();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            _server.Logger.LogDebug(ex, "Connection from {Remote} failed while finishing a stream", _info.Remote);
        }
        finally
        {
            _gate.Release();
        }
        // The owner flushes what the protocol wrote; a graceful shutdown waiting for the last handler looks again.
        WakeOwner();
    }
}
