using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Hyper.Core.Transport;

namespace Hyper.Backends.ThreadPool;

/// <summary>
/// A connected socket moved through two pipes: a receive loop fills <see cref="IDuplexPipe.Input"/>, a send
/// loop drains <see cref="IDuplexPipe.Output"/> (Kestrel's SocketConnection shape). Both loops run on the
/// thread pool; the pipes' pause thresholds give backpressure both ways.
/// </summary>
internal sealed class SocketConnection : ITransportConnection, IDuplexPipe
{
    // 64 KiB of unflushed response data before writers wait: security.md SL-03 (Kestrel's MaxResponseBufferSize).
    private const long OutputPauseThreshold = 64 * 1024;
    private const long InputPauseThreshold = 1024 * 1024;
    private const int MinReceiveBuffer = 4096;
    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private readonly Socket _socket;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly Task _receiving;
    private readonly Task _sending;
    private int _aborted;

    public SocketConnection(Socket socket)
    {
        _socket = socket;
        RemoteEndPoint = socket.RemoteEndPoint;
        LocalEndPoint = socket.LocalEndPoint;
        _input = new Pipe(new PipeOptions(
            pauseWriterThreshold: InputPauseThreshold, resumeWriterThreshold: InputPauseThreshold / 2,
            readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(
            pauseWriterThreshold: OutputPauseThreshold, resumeWriterThreshold: OutputPauseThreshold / 2,
            readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        _receiving = ReceiveLoopAsync();
        _sending = SendLoopAsync();
    }

    public IDuplexPipe Transport => this;
    public PipeReader Input => _input.Reader;
    public PipeWriter Output => _output.Writer;
    public EndPoint? RemoteEndPoint { get; }
    public EndPoint? LocalEndPoint { get; }

    private async Task ReceiveLoopAsync()
    {
        await Task.Yield();
        var writer = _input.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(MinReceiveBuffer);
                var read = await _socket.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                if (read == 0) break;
                writer.Advance(read);
                var flush = await writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    await DiscardUntilPeerClosesAsync().ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        catch (Exception ex) { error = ex; }
        await writer.CompleteAsync(error).ConfigureAwait(false);
    }

    /// <summary>
    /// Lingering close: once the reader is gone, keep reading and dropping bytes until the peer closes, so that
    /// closing a socket with unread input does not turn into a reset that destroys the response in flight
    /// (e.g. a 400 followed by pipelined bytes). <see cref="DisposeAsync"/> bounds how long this may take.
    /// </summary>
    private async Task DiscardUntilPeerClosesAsync()
    {
        var scratch = ArrayPool<byte>.Shared.Rent(MinReceiveBuffer);
        try
        {
            while (await _socket.ReceiveAsync(scratch.AsMemory(), SocketFlags.None).ConfigureAwait(false) > 0) { }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private async Task SendLoopAsync()
    {
        await Task.Yield();
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    if (buffer.IsSingleSegment)
                    {
                        await _socket.SendAsync(buffer.First, SocketFlags.None).ConfigureAwait(false);
                    }
                    else
                    {
                        foreach (var segment in buffer)
                            await _socket.SendAsync(segment, SocketFlags.None).ConfigureAwait(false);
                    }
                }
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled) break;
            }
            ShutdownSend();
        }
        catch (SocketException) { Abort(); }
        catch (ObjectDisposedException) { }
        await reader.CompleteAsync().ConfigureAwait(false);
    }

    private void ShutdownSend()
    {
        try { _socket.Shutdown(SocketShutdown.Send); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
        try
        {
            // Linger 0 turns the close into a reset: the peer learns at once that the response is incomplete.
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        _socket.Dispose();
        _input.Writer.Complete();
        _output.Reader.CancelPendingRead();
    }

    public async ValueTask DisposeAsync()
    {
        // The driver completes the output writer; the send loop then flushes what is left and shuts down sending.
        await _sending.ConfigureAwait(false);
        try
        {
            await _receiving.WaitAsync(LingerTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException) { }
        _socket.Dispose();
        await _receiving.ConfigureAwait(false);
    }
}
