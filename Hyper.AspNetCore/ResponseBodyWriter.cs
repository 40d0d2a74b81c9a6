using System.Buffers;
using System.IO.Pipelines;

namespace Hyper.AspNetCore;

/// <summary>
/// The response body as a <see cref="PipeWriter"/> (<c>IHttpResponseBodyFeature.Writer</c>). What the application
/// writes into <see cref="GetMemory"/> stays in pooled buffers until a flush, which hands it to the connection as
/// stream commands (the protocol frames it straight into the connection's output). <see cref="WriteAsync"/> with
/// nothing buffered hands the caller's memory over as it is, without a copy here.
/// </summary>
internal sealed class ResponseBodyWriter(AspNetCoreStream stream) : PipeWriter
{
    private const int SegmentSize = 4096;

    private byte[]? _current;
    private int _written;
    // Earlier segments that filled up before a flush, in order.
    private List<(byte[] Array, int Length)>? _full;
    private long _unflushed;
    private bool _completed;
    private bool _cancelNextFlush;

    public override bool CanGetUnflushedBytes => true;
    public override long UnflushedBytes => _unflushed;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureSpace(sizeHint);
        return _current.AsMemory(_written);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureSpace(sizeHint);
        return _current.AsSpan(_written);
    }

    public override void Advance(int bytes)
    {
        if (_current is null || bytes < 0 || _written + bytes > _current.Length)
            throw new ArgumentOutOfRangeException(nameof(bytes), "Advanced past the memory the writer gave.");
        _written += bytes;
        _unflushed += bytes;
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_current))]
    private void EnsureSpace(int sizeHint)
    {
        ThrowIfCompleted();
        var size = Math.Max(sizeHint, 1);
        if (_current is not null && _current.Length - _written >= size) return;
        if (_current is not null)
        {
            if (_written > 0) (_full ??= []).Add((_current, _written));
            else ArrayPool<byte>.Shared.Return(_current);
        }
        _current = ArrayPool<byte>.Shared.Rent(Math.Max(size, SegmentSize));
        _written = 0;
    }

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        await DrainAsync(end: false);
        return Result();
    }

    public override async ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        if (_unflushed == 0)
        {
            // The caller keeps the memory valid until this completes, which is as long as the connection needs it.
            await stream.WriteBodyAsync(source, end: false);
            return Result();
        }
        source.Span.CopyTo(GetSpan(source.Length));
        Advance(source.Length);
        return await FlushAsync(cancellationToken);
    }

    private FlushResult Result()
    {
        var canceled = _cancelNextFlush;
        _cancelNextFlush = false;
        // Completed: the client has gone and nothing more will reach it (writes after that are dropped, as Kestrel does).
        return new FlushResult(canceled, stream.IsAborted);
    }

    /// <summary>Sends what is buffered; with <paramref name="end"/>, ends the response (with its trailers).</summary>
    private async ValueTask DrainAsync(bool end)
    {
        if (_full is { Count: > 0 } full)
        {
            foreach (var (array, length) in full)
            {
                await stream.WriteBodyAsync(array.AsMemory(0, length), end: false);
                ArrayPool<byte>.Shared.Return(array);
            }
            full.Clear();
        }
        var data = _current is null ? ReadOnlyMemory<byte>.Empty : _current.AsMemory(0, _written);
        _unflushed = 0;
        await stream.WriteBodyAsync(data, end);
        _written = 0;
    }

    public override void CancelPendingFlush() => _cancelNextFlush = true;

    /// <summary>
    /// The application will write no more. The response itself ends when the request does (or at
    /// <see cref="CompleteAsync"/>): a synchronous method cannot hand the end to the connection.
    /// </summary>
    public override void Complete(Exception? exception = null) => _completed = true;

    /// <summary>Sends what is buffered and ends the response (<c>IHttpResponseBodyFeature.CompleteAsync</c>).</summary>
    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        _completed = true;
        await DrainAsync(end: true);
    }

    /// <summary><c>IHttpResponseBodyFeature.SendFileAsync</c>: the file's bytes read in pooled chunks and written as body.</summary>
    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(file);
        if (offset < 0 || offset > length) throw new ArgumentOutOfRangeException(nameof(offset), offset, "The offset is outside the file.");
        var remaining = count ?? length - offset;
        if (remaining < 0 || offset + remaining > length) throw new ArgumentOutOfRangeException(nameof(count), count, "The range is outside the file.");
        await FlushAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (remaining > 0 && !stream.IsAborted)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), offset, cancellationToken);
                if (read == 0) throw new IOException($"The file '{path}' ended before the range was sent.");
                await stream.WriteBodyAsync(buffer.AsMemory(0, read), end: false);
                offset += read;
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The request is over: buffers go back to the pool.</summary>
    public void Release()
    {
        if (_full is not null)
        {
            foreach (var (array, _) in _full) ArrayPool<byte>.Shared.Return(array);
            _full.Clear();
        }
        if (_current is not null) ArrayPool<byte>.Shared.Return(_current);
        _current = null;
        _written = 0;
        _unflushed = 0;
    }

    private void ThrowIfCompleted()
    {
        if (_completed) throw new InvalidOperationException("Writing is not allowed after the writer was completed.");
    }
}
