using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Hyper.Core.Transport;

namespace Hyper.Backends.Structured;

/// <summary>
/// A connected socket moved through two pipes by two tasks — a receive loop filling
/// <see cref="IDuplexPipe.Input"/> and a send loop draining <see cref="IDuplexPipe.Output"/> — that belong to the
/// connection's own I/O group. Every socket read, socket write and pipe flush takes that group's token, so
/// <see cref="Abort"/> (which the connection driver calls when its connection group is cancelled) stops the I/O
/// where it stands instead of waiting for the peer, and <see cref="DisposeAsync"/> closes the group: the loops
/// never outlive the connection.
/// </summary>
internal sealed class StructuredSocketConnection : ITransportConnection, IDuplexPipe
{
    // 64 KiB of unflushed response data before writers wait: security.md SL-03 (Kestrel's MaxResponseBufferSize).
    private const long OutputPauseThreshold = 64 * 1024;
    private const long InputPauseThreshold = 1024 * 1024;
    private const int MinReceiveBuffer = 4096;

    // How long a closing connection keeps draining unread input so the close is a FIN, not a reset that
    // destroys the response in flight (the lingering close of RFC 9112 §9.6).
    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private readonly Socket _socket;
    private readonly TaskGroup _io;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly TaskCompletionSource _receiveEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _sendEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _aborted;

    public StructuredSocketConnection(Socket socket, TaskGroup io)
    {
        _socket = socket;
        _io = io;
        RemoteEndPoint = socket.RemoteEndPoint;
        LocalEndPoint = socket.LocalEndPoint;
        _input = new Pipe(new PipeOptions(
            pauseWriterThreshold: InputPauseThreshold, resumeWriterThreshold: InputPauseThreshold / 2,
            readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(
            pauseWriterThreshold: OutputPauseThreshold, resumeWriterThreshold: OutputPauseThreshold / 2,
            readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        io.Spawn(ReceiveLoopAsync);
        io.Spawn(SendLoopAsync);
    }

    public IDuplexPipe Transport => this;
    public PipeReader Input => _input.Reader;
    public PipeWriter Output => _output.Writer;
    public EndPoint? RemoteEndPoint { get; }
    public EndPoint? LocalEndPoint { get; }

    private async Task ReceiveLoopAsync(CancellationToken token)
    {
        var writer = _input.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(MinReceiveBuffer);
                var read = await _socket.ReceiveAsync(memory, SocketFlags.None, token).ConfigureAwait(false);
                if (read == 0) break;
                writer.Advance(read);
                var flush = await writer.FlushAsync(token).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    await DiscardUntilPeerClosesAsync(token).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException) { }
        catch (Exception ex) { error = ex; }
        finally
        {
            await writer.CompleteAsync(error).ConfigureAwait(false);
            _receiveEnded.TrySetResult();
        }
    }

    /// <summary>The reader is gone: drop input until the peer closes, so closing does not reset the connection.</summary>
    private async Task DiscardUntilPeerClosesAsync(CancellationToken token)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(MinReceiveBuffer);
        try
        {
            while (await _socket.ReceiveAsync(scratch.AsMemory(), SocketFlags.None, token).ConfigureAwait(false) > 0) { }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private async Task SendLoopAsync(CancellationToken token)
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                    await _socket.SendAsync(segment, SocketFlags.None, token).ConfigureAwait(false);
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled) break;
            }
            ShutdownSend();
        }
        catch (SocketException) { Abort(); }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException) { }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            _sendEnded.TrySetResult();
        }
    }

    private void ShutdownSend()
    {
        try { _socket.Shutdown(SocketShutdown.Send); }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
    }

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
        try
        {
            // Linger 0 turns the close into a reset: the peer learns at once that the response is incomplete.
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
        _io.Cancel();
        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        // The driver has completed the output writer: the send loop flushes what is left and sends FIN.
        await _sendEnded.Task.ConfigureAwait(false);
        try
        {
            await _receiveEnded.Task.WaitAsync(LingerTimeout, _io.Time).ConfigureAwait(false);
        }
        catch (TimeoutException) { }
        _io.Cancel();
        _socket.Dispose();
        await _io.CloseAsync().ConfigureAwait(false);
    }
}
