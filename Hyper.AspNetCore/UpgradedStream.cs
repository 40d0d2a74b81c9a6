using Microsoft.AspNetCore.Http.Features;

namespace Hyper.AspNetCore;

/// <summary>
/// The opaque duplex stream an upgraded request (HTTP/1.1 after 101) or an accepted extended CONNECT (HTTP/2) hands the
/// application: reads take the tunnel's input from its <see cref="RequestBodyReader"/> (HTTP/1.1: each read that finds
/// nothing reads the connection, so a client is only read as fast as the application reads), writes go out as the
/// stream's body without buffering here. Disposing it does not end the tunnel: the tunnel ends when the request does,
/// as on Kestrel, where the connection closes once the application returns.
/// </summary>
internal sealed class UpgradedStream(RequestBodyReader input, AspNetCoreStream stream) : Stream
{
    private readonly RequestBodyStream _reader = new(input, stream);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _reader.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _reader.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _reader.Read(buffer, offset, count);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Completes once the connection took the bytes and has room for more: the backpressure a writer must feel.
        // After the client has gone, writes are dropped (RequestAborted says so), as Kestrel's are.
        await stream.WriteBodyAsync(buffer, end: false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        SynchronousIo.ThrowIfDisallowed((IHttpBodyControlFeature)stream, "WriteAsync");
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    }

    // Nothing is held back: every write is handed to the connection.
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
