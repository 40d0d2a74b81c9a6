using System.Runtime.CompilerServices;
using System.IO.Pipelines;
using Hyper.Core.Application;
using Hyper.Core.Protocols;
using Hyper.Core.Concurrency;

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
                    throw new ClientDisconnectedException("The client did not read the response fast enough.");
                }
                if (result.IsCompleted)
                {
                    _abort = true;
                    _current?.OnAborted();
                    throw new ClientDisconnectedException();
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
        if (_transport.BytesSent >= 0)
        {
            // Measured: once the grace period is over, what the client took since the flush blocked must keep up
            // with the minimum rate, checked every second. How much is queued does not buy time (H2-07: HTTP/2
            // can queue megabytes for a client that never reads).
            var watch = new SlowFlushWatch(_writer, _transport, _server.Time, options.MinResponseRate, options.MinResponseRateGrace);
            using var ticker = CallbackGuard.CreateTimer(_server.Time, static w => ((SlowFlushWatch)w!).Check(), watch, SlowFlushWatch.Period, SlowFlushWatch.Period);
            return await flush;
        }
        var allowed = options.MinResponseRateGrace + TimeSpan.FromSeconds(pendingBytes / options.MinResponseRate);
        using var timer = CallbackGuard.CreateTimer(_server.Time, static w => ((PipeWriter)w!).CancelPendingFlush(), _writer, allowed, Timeout.InfiniteTimeSpan);
        return await flush;
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
