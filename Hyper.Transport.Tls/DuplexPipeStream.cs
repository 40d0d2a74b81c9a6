using System.Buffers;
using System.IO.Pipelines;

namespace Hyper.Transport.Tls;

/// <summary>
/// The ciphertext side of a TLS connection as the <see cref="Stream"/> <see cref="System.Net.Security.SslStream"/>
/// needs: reads drain the transport's <see cref="IDuplexPipe.Input"/>, writes go to its
/// <see cref="IDuplexPipe.Output"/> and are flushed at once (a TLS record is only useful to the peer whole).
/// Only the async paths are real: SslStream is driven asynchronously here, so no thread ever blocks on a pipe.
/// </summary>
internal sealed class DuplexPipeStream(IDuplexPipe pipe) : Stream
{
    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await pipe.Input.ReadAsync(cancellationToken);
            var data = result.Buffer;
            if (!data.IsEmpty)
            {
                var count = (int)Math.Min(data.Length, buffer.Length);
                var taken = data.Slice(0, count);
                taken.CopyTo(buffer.Span);
                pipe.Input.AdvanceTo(taken.End);
                return count;
            }
            pipe.Input.AdvanceTo(data.End);
            // A cancelled read with nothing in it is someone waking the reader; SslStream only knows end-of-stream.
            if (result.IsCompleted || result.IsCanceled) return 0;
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var flush = await pipe.Output.WriteAsync(buffer, cancellationToken);
        // The transport stopped sending (the socket is gone): as a socket stream would, fail the write.
        if (flush.IsCompleted || flush.IsCanceled) throw new IOException("The connection was closed while writing.");
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }

    // Synchronous I/O would block a thread per connection (issue #5: "no thread blocked per handshake").
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use ReadAsync.");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use WriteAsync.");
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
