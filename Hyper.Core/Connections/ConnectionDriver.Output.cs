using System.Runtime.CompilerServices;
using System.IO.Pipelines;
using Hyper.Core.Application;
using Hyper.Core.Protocols;
using Hyper.Core.Concurrency;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Connections;

// Flushing and deadlines: the two places where the driver waits on the outside world for the protocol.
sealed partial class ConnectionDriver
{
    /// <summary>
    /// Flushes everything written so far. Called without the gate: the gate is held only to start each flush (so no
    /// protocol call writes at that moment), never while waiting for the client. One flusher at a time: whoever comes
    /// while a flush is in progress waits for it, and the flusher flushes again until nothing is left unflushed, so
    /// every writer's bytes are covered (output written meanwhile leaves in the next, combined send). On a multiplexed
    /// connection only the owner loop calls this; streams wait for it (<see cref="WhenFlushedAsync"/>).
    /// A flush that waits (the client reads slower than we write) must finish within the grace period plus the time
    /// the minimum response rate allows for the pending bytes, or the connection is aborted.
    /// </summary>
    // Pooled state machines: these suspend once per request on the hot path; a fresh box each time would be
    // most of what a request allocates.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushAsync()
    {
        Task? join = null;
        ValueTask<FlushResult> flush;
        long pending;
        await EnterAsync();
        try
        {
            if (_flushing)
            {
                join = WhenFlushedLocked();
                flush = default;
                pending = 0;
            }
            else
            {
                pending = _writer.UnflushedBytes;
                if (pending == 0 || _abort) return;
                _flushing = true;
                _server.Metrics.BytesSent(pending);
                flush = _writer.FlushAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
        if (join is not null)
        {
            await join;
            if (_abort) throw new ClientDisconnectedException();
            return;
        }
        try
        {
            while (true)
            {
                var result = flush.IsCompletedSuccessfully ? flush.Result : await WaitForSlowFlushAsync(flush, pending);
                if (result.IsCanceled)
                {
                    Abort();
                    throw TooSlowReader();
                }
                if (result.IsCompleted)
                {
                    _abort = true;
                    _current?.OnAborted();
                    throw _tooSlowReader ? TooSlowReader() : new ClientDisconnectedException();
                }
                await EnterAsync();
                try
                {
                    pending = _writer.UnflushedBytes;
                    if (pending == 0 || _abort)
                    {
                        EndFlushLocked();
                        return;
                    }
                    _server.Metrics.BytesSent(pending);
                    flush = _writer.FlushAsync();
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch
        {
            // Whoever waits for this flush must not wait forever: they see _abort and give up.
            _abort = true;
            await EnterAsync();
            EndFlushLocked();
            _gate.Release();
            throw;
        }
    }

    private static ClientDisconnectedException TooSlowReader() => new("The client did not read the response fast enough.");

    private bool _flushing;
    private TaskCompletionSource? _flushed;

    /// <summary>Under the gate: the flusher is done; wake those who waited for it.</summary>
    private void EndFlushLocked()
    {
        _flushing = false;
        var flushed = _flushed;
        _flushed = null;
        flushed?.TrySetResult();
    }

    /// <summary>Under the gate: completes when the flush in progress (or the next one) has drained what is written now.</summary>
    private Task WhenFlushedLocked() =>
        (_flushed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private async ValueTask<FlushResult> WaitForSlowFlushAsync(ValueTask<FlushResult> flush, long pendingBytes)
    {
        var options = _server.Options;
        if (options.MinResponseRate <= 0) return await flush;
        if (RateWatch() is { } watch)
        {
            // Measured: what the client takes (acknowledged bytes where the transport can tell) must keep up with the
            // minimum rate once the connection's grace period is over, on one clock across flushes. How much is
            // queued does not buy time (H2-07: HTTP/2 can queue megabytes for a client that never reads).
            watch.FlushBlocked();
            try { return await flush; }
            finally { watch.FlushEnded(); }
        }
        var allowed = options.MinResponseRateGrace + TimeSpan.FromSeconds(pendingBytes / options.MinResponseRate);
        using var timer = CallbackGuard.CreateTimer(_server.Time, static w => ((PipeWriter)w!).CancelPendingFlush(), _writer, allowed, Timeout.InfiniteTimeSpan);
        return await flush;
    }

    private ResponseRateWatch? _rateWatch;
    private volatile bool _tooSlowReader;

    /// <summary>
    /// The connection's response-rate watch, made when first needed (a flush that blocks, a close with output in
    /// flight); null when the rate is off or the transport counts nothing. Called by the one flusher, or by the
    /// close after the last flush: never twice at once.
    /// </summary>
    private ResponseRateWatch? RateWatch()
    {
        if (_rateWatch is not null) return _rateWatch;
        var options = _server.Options;
        if (options.MinResponseRate <= 0 || _transport.BytesSent < 0) return null;
        return _rateWatch = new ResponseRateWatch(_transport, _server.Time, options.MinResponseRate, options.MinResponseRateGrace,
            static d => ((ConnectionDriver)d!).OnTooSlowReader(), this);
    }

    /// <summary>From the watch's ticker: the client fell behind <c>min_response_rate</c>.</summary>
    private void OnTooSlowReader()
    {
        _tooSlowReader = true;
        _server.Logger.LogDebug("Connection from {Remote} aborted: the client took the response slower than min_response_rate", _info.Remote);
        Abort();
    }

    /// <summary>
    /// The close hands what is left to the transport, whose disposal waits until it is sent: if the client has not
    /// acknowledged all it was sent, that wait is on the client and the rate clock keeps running over it (a reader
    /// that stalls once the last flush has returned would otherwise hold the connection for as long as it likes).
    /// </summary>
    private void WatchClosingDrain()
    {
        if (_abort) return;
        var acknowledged = _transport.BytesAcknowledged;
        // Where acknowledgements are known and all is taken there is nothing to watch; without them, a connection
        // that never had a flush blocked is as unlikely to block now as any flush, and the first flush's rule holds.
        if (acknowledged >= 0 ? _transport.BytesSent - acknowledged <= 0 : _rateWatch is null) return;
        RateWatch()?.Closing();
    }

    /// <summary>Arms the connection's one timer for the protocol's next deadline. Caller holds the gate.</summary>
    private void ArmTimer()
    {
        var deadline = _protocol.NextDeadline;
        // A deadline that moves later (the keep-alive timer, after every request) keeps the timer armed for the
        // earlier one: it fires early, the pump finds nothing due, and re-arms. That saves a timer-queue update
        // per request on the hot path.
        if (deadline >= _armedDeadline && _armedDeadline != long.MaxValue) return;
        if (deadline == _armedDeadline) return;
        _armedDeadline = deadline;
        if (deadline == long.MaxValue)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var due = TimeSpan.FromTicks(Math.Max(0, deadline - Now) + TimeSpan.TicksPerMillisecond);
        if (_timer is null)
        {
            _timer = CallbackGuard.CreateTimer(_server.Time, static d => ((ConnectionDriver)d!).OnTimerFired(), this, due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimerFired()
    {
        _armedDeadline = long.MaxValue;
        WakeOwner();
    }
}
