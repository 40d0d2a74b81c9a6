using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Hyper.AspNetCore;

/// <summary>The response body as a write-only <see cref="Stream"/> over its <see cref="PipeWriter"/>; synchronous writes only when allowed.</summary>
internal sealed class ResponseBodyStream(PipeWriter writer, IHttpBodyControlFeature bodyControl) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        await writer.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken) => await writer.FlushAsync(cancellationToken);

    public override void Write(byte[] buffer, int offset, int count)
    {
        SynchronousIo.ThrowIfDisallowed(bodyControl, "WriteAsync");
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    }

    public override void Flush()
    {
        SynchronousIo.ThrowIfDisallowed(bodyControl, "FlushAsync");
        FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The response body cannot be read.");
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
