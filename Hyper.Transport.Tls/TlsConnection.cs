using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using Hyper.Core.Transport;
using Hyper.Core.Concurrency;

namespace Hyper.Transport.Tls;

/// <summary>
/// The plaintext side of an established TLS connection, shaped like the backends' socket connections so the
/// driver cannot tell them apart: a receive loop decrypts from the <see cref="SslStream"/> into
/// <see cref="IDuplexPipe.Input"/>, a send loop encrypts <see cref="IDuplexPipe.Output"/> into it. The pipes'
/// pause thresholds give backpressure both ways; a peer that goes away completes the pipes, so a flush reports
/// <see cref="FlushResult.IsCompleted"/> exactly as on a cleartext connection.
/// </summary>
internal sealed class TlsConnection : ITransportConnection, IDuplexPipe
{
    // The same bounds as the socket transport (docs/security.md SL-03: 64 KiB of unflushed response data).
    private const long OutputPauseThreshold = 64 * 1024;
    private const long InputPauseThreshold = 1024 * 1024;
    // One TLS record carries at most 16 KiB of plaintext (RFC 8446 §5.1); reading less would split records.
    private const int MinReceiveBuffer = 16 * 1024;
    // How long close_notify may take to go out before the connection is closed without it.
    private static readonly TimeSpan CloseNotifyTimeout = TimeSpan.FromSeconds(2);

    private long _bytesSent;
    private readonly ITransportConnection _inner;
    private readonly SslStream _ssl;
    private readonly TimeProvider _time;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly TaskCompletionSource _receiveEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _sendEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _aborted;

    /// <summary>Starts moving plaintext between <paramref name="ssl"/> (already authenticated) and the pipes.</summary>
    public TlsConnection(ITransportConnection inner, SslStream ssl, TimeProvider time)
    {
        _inner = inner;
        _ssl = ssl;
        _time = time;
        _input = new Pipe(new PipeOptions(
            pauseWriterThreshold: InputPauseThreshold, resumeWriterThreshold: InputPauseThreshold / 2,
            readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(
            pauseWriterThreshold: OutputPauseThreshold, resumeWriterThreshold: OutputPauseThreshold / 2,
            readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        // Started in the caller's context (the connection's task, on its backend): the loops never throw and
        // report their end through the two completion sources.
        CallbackGuard.Forget(ReceiveLoopAsync(), "TLS receive loop");
        CallbackGuard.Forget(SendLoopAsync(), "TLS send loop");
    }

    /// <summary>
    /// Bytes handed to the network: the socket's own count (records, handshake included) where the socket transport
    /// keeps one, so that it compares with <see cref="BytesAcknowledged"/>; else the plaintext encrypted so far.
    /// </summary>
    public long BytesSent => _inner.BytesSent >= 0 ? _inner.BytesSent : Volatile.Read(ref _bytesSent);

    /// <summary>What the peer has acknowledged of the records: the socket underneath judges the client (SL-03).</summary>
    public long BytesAcknowledged => _inner.BytesSent >= 0 ? _inner.BytesAcknowledged : -1;

    public IDuplexPipe Transport => this;
    public PipeReader Input => _input.Reader;
    public PipeWriter Output => _output.Writer;
    public EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;
    public EndPoint? LocalEndPoint => _inner.LocalEndPoint;

    private async Task ReceiveLoopAsync()
    {
        var writer = _input.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(MinReceiveBuffer);
                var read = await _ssl.ReadAsync(memory);
                if (read == 0) break;
                writer.Advance(read);
                var flush = await writer.FlushAsync();
                if (flush.IsCompleted || flush.IsCanceled) break;
            }
        }
        // The peer reset, sent garbage instead of a record, or the connection was aborted: all are an end of input.
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException
            or System.Security.Authentication.AuthenticationException or InvalidOperationException) { }
        catch (Exception ex) { error = ex; }
        finally
        {
            try { await writer.CompleteAsync(error); }
            finally
            {
                // Nothing more is read from the ciphertext pipe: the transport may drain and drop the rest.
                await _inner.Transport.Input.CompleteAsync();
                _receiveEnded.TrySetResult();
            }
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        var graceful = false;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await _ssl.WriteAsync(segment);
                    Volatile.Write(ref _bytesSent, _bytesSent + segment.Length);
                }
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    graceful = result.IsCompleted && Volatile.Read(ref _aborted) == 0;
                    break;
                }
            }
            // RFC 8446 §6.1: close_notify before closing the write side, so the peer can tell a complete
            // response from a truncation attack.
            if (graceful) await _ssl.ShutdownAsync().WaitAsync(CloseNotifyTimeout, _time);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException
            or TimeoutException or InvalidOperationException)
        {
            // The peer is gone mid-response: make the close a reset rather than leave the rest of it pending.
            if (!graceful) Abort();
        }
        finally
        {
            try { await reader.CompleteAsync(); }
            finally
            {
                await _inner.Transport.Output.CompleteAsync();
                _sendEnded.TrySetResult();
            }
        }
    }

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
        _inner.Abort();
        // Wake both loops: the aborted transport will never serve the SslStream again.
        _input.Writer.CancelPendingFlush();
        _output.Reader.CancelPendingRead();
        _inner.Transport.Input.CancelPendingRead();
    }

    public async ValueTask DisposeAsync()
    {
        // The driver has completed the output writer: the send loop flushes what is left and sends close_notify.
        await _sendEnded.Task;
        // The transport lingers (drains the peer's remaining bytes) and closes the socket; that ends the receive loop.
        await _inner.DisposeAsync();
        _input.Writer.CancelPendingFlush();
        _inner.Transport.Input.CancelPendingRead();
        await _receiveEnded.Task;
        await _ssl.DisposeAsync();
    }
}
