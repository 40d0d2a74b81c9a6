using System.Buffers;
using System.IO.Pipelines;
using Hyper.Core.Concurrency;
using Hyper.Core.Streams;
using Microsoft.AspNetCore.Http;

namespace Hyper.AspNetCore;

/// <summary>
/// The request body as a <see cref="PipeReader"/> (<c>IRequestBodyPipeFeature</c>). The connection appends what the
/// protocol decoded into an inner pipe; a read that finds nothing new waits for input through the stream (on HTTP/1.1
/// that reads the connection on the request's behalf, so nothing is read before the application asks). Consumed bytes
/// go back to the connection as <see cref="StreamCommand.BodyConsumed"/>, which reopens HTTP/2 flow control
/// (RFC 9113 §6.9). Bytes past the size limit fail the read with 413, as Kestrel does.
/// <para>
/// The same reader carries a tunnel's input (<paramref name="isTunnel"/>): an HTTP/1.1 connection after its 101, or
/// the DATA frames of an HTTP/2 extended CONNECT stream (AspNetCoreStream.Upgrade.cs). A tunnel has no size limit, no
/// 100 Continue, and its end is the peer's end of the connection or stream.
/// </para>
/// </summary>
internal sealed class RequestBodyReader(AspNetCoreStream stream, long? maxSize, bool isTunnel = false) : PipeReader
{
    private static readonly PipeOptions InnerPipe = new(
        pauseWriterThreshold: 0, resumeWriterThreshold: 0,
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    // Made when the first body bytes arrive: a request without a body (most of them) never needs one.
    private Pipe? _pipe;
    // Append (the connection) against Release (the request's end): the inner pipe's writer must not be used after it completed.
    private readonly Lock _sync = new();
    private long _received;
    private long _examined;
    private long _consumed;
    private long _bufferOffset;
    private ReadOnlySequence<byte> _lastBuffer;
    private volatile bool _ended;
    private volatile bool _aborted;
    private volatile bool _tooLarge;
    private bool _wanted;
    private bool _released;
    private bool _readerCompleted;
    private bool _cancelNextRead;

    /// <summary>The request's body limit; null: none.</summary>
    public long? MaxSize { get; set; } = maxSize;

    /// <summary>The application has started to read: the limit can no longer change.</summary>
    public bool HasStarted { get; private set; }

    /// <summary>The whole body has arrived.</summary>
    public bool IsEnded => _ended;

    // ---- connection side (called with the connection held) ----

    public void Append(ReadOnlySequence<byte> data)
    {
        lock (_sync)
        {
            if (_released || _ended || _tooLarge) return;
            var total = _received + data.Length;
            if (MaxSize is { } max && total > max)
            {
                _tooLarge = true;
                return;
            }
            var writer = (_pipe ??= new Pipe(InnerPipe)).Writer;
            foreach (var segment in data) writer.Write(segment.Span);
            // Unbounded pipe: the flush completes at once, and it has no reader waiting on it (reads look at _received
            // first), so no application code runs here.
            var flush = writer.FlushAsync();
            if (!flush.IsCompletedSuccessfully) CallbackGuard.Forget(flush.AsTask(), "request body hand-over");
            // Published after the flush: a read that sees the count finds the bytes in the pipe.
            Volatile.Write(ref _received, total);
        }
    }

    public void End()
    {
        lock (_sync)
        {
            if (_released || _ended) return;
            _pipe?.Writer.Complete();
            _ended = true;
        }
    }

    public void Abort() => _aborted = true;

    // ---- application side ----

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_readerCompleted) throw new InvalidOperationException("Reading is not allowed after the reader was completed.");
        if (!HasStarted)
        {
            HasStarted = true;
            if (MaxSize is { } max && stream.DeclaredRequestLength > max) throw TooLarge();
        }
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_cancelNextRead)
            {
                _cancelNextRead = false;
                return new ReadResult(ReadOnlySequence<byte>.Empty, isCanceled: true, isCompleted: false);
            }
            if (_tooLarge) throw TooLarge();
            if (Volatile.Read(ref _received) > _examined || _ended)
            {
                stream.InputTaken();
                // No pipe: the body ended before any byte came.
                var result = _pipe is { } pipe ? await pipe.Reader.ReadAsync(cancellationToken) : EmptyEnd;
                return Remember(result);
            }
            if (_aborted) throw AspNetCoreStream.ClientGone();
            // The response is complete: the connection reads nothing more for this stream (the protocol discards or
            // refuses the rest of the body), so the body ends here rather than wait for bytes that will not be handed over.
            if (stream.IsOver) return Remember(EmptyEnd);
            if (!_wanted)
            {
                _wanted = true;
                // RFC 9110 §10.1.1: a held-back 100 Continue goes once the application reads.
                if (stream.ExpectsContinue && !isTunnel) await stream.SubmitAsync(StreamCommand.BodyWanted());
            }
            await stream.WaitForInputAsync(cancellationToken);
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        if (_ended && _pipe is null)
        {
            stream.InputTaken();
            result = Remember(EmptyEnd);
            return true;
        }
        if (!_tooLarge && (Volatile.Read(ref _received) > _examined || _ended) && _pipe is not null && _pipe.Reader.TryRead(out var read))
        {
            stream.InputTaken();
            result = Remember(read);
            return true;
        }
        result = default;
        return false;
    }

    private ReadResult Remember(ReadResult result)
    {
        _lastBuffer = result.Buffer;
        _bufferOffset = _consumed;
        // HTTP/1.1: with the body read to its end, the request's disconnect watch may read the connection now.
        if (result.IsCompleted && !isTunnel) stream.StartDisconnectWatch();
        return result;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var consumedBytes = _lastBuffer.Slice(_lastBuffer.Start, consumed).Length;
        var examinedBytes = _lastBuffer.Slice(_lastBuffer.Start, examined).Length;
        _pipe?.Reader.AdvanceTo(consumed, examined);
        _consumed += consumedBytes;
        _examined = Math.Max(_examined, _bufferOffset + examinedBytes);
        // The pipe may have recycled the consumed segments: positions in the old buffer are no longer usable.
        _lastBuffer = default;
        _bufferOffset = _consumed;
        // HTTP/2: what the application took may be sent again by the peer (RFC 9113 §6.9, WINDOW_UPDATE).
        if (consumedBytes > 0 && stream.Connection.IsMultiplexed)
            CallbackGuard.Forget(stream.SubmitAsync(StreamCommand.BodyConsumed((int)consumedBytes)), "request body window update");
    }

    public override void CancelPendingRead() => _cancelNextRead = true;

    public override void Complete(Exception? exception = null)
    {
        if (_readerCompleted) return;
        _readerCompleted = true;
        lock (_sync) _pipe?.Reader.Complete();
    }

    /// <summary>The request is over: the inner pipe's buffers go back to their pool.</summary>
    public void Release()
    {
        lock (_sync)
        {
            if (_released) return;
            _released = true;
            _pipe?.Writer.Complete();
            if (!_readerCompleted)
            {
                _readerCompleted = true;
                _pipe?.Reader.Complete();
            }
        }
    }

    private static readonly ReadResult EmptyEnd = new(ReadOnlySequence<byte>.Empty, isCanceled: false, isCompleted: true);

    private static BadHttpRequestException TooLarge() =>
        new("Request body too large.", StatusCodes.Status413PayloadTooLarge);
}
