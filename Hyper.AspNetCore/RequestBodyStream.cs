using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Hyper.AspNetCore;

/// <summary>The request body as a read-only <see cref="Stream"/> over its <see cref="PipeReader"/>; synchronous reads only when allowed.</summary>
internal sealed class RequestBodyStream(PipeReader reader, IHttpBodyControlFeature bodyControl) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var data = result.Buffer;
            if (result.IsCanceled)
            {
                reader.AdvanceTo(data.Start);
                throw new OperationCanceledException("The read was canceled.");
            }
            if (!data.IsEmpty || result.IsCompleted || buffer.IsEmpty)
            {
                var length = (int)Math.Min(data.Length, buffer.Length);
                var taken = data.Slice(0, length);
                taken.CopyTo(buffer.Span);
                reader.AdvanceTo(taken.End);
                return length;
            }
            reader.AdvanceTo(data.Start, data.End);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        SynchronousIo.ThrowIfDisallowed(bodyControl, "ReadAsync");
        return ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    }

    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            foreach (var segment in result.Buffer) await destination.WriteAsync(segment, cancellationToken);
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted) return;
            if (result.IsCanceled) throw new OperationCanceledException("The read was canceled.");
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The request body cannot be written.");
}
