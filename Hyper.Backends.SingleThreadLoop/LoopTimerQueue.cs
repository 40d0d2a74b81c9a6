using System.Diagnostics;

namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// The loop's timers: a min-heap of due timestamps. Re-arming a timer later (what every connection does per
/// request) only moves its due time; the heap entry stays and is re-queued when it comes up early (the lazy
/// rescheduling libuv and Netty use), so the common case is O(1). Loop thread only.
/// </summary>
internal sealed class LoopTimerQueue
{
    private readonly EventLoop _loop;
    private readonly PriorityQueue<LoopTimer, long> _heap = new();

    public LoopTimerQueue(EventLoop loop) => _loop = loop;

    public EventLoop Loop => _loop;

    /// <summary>Makes sure <paramref name="timer"/> is in the heap no later than its due time.</summary>
    public void Schedule(LoopTimer timer)
    {
        if (timer.QueuedAt <= timer.Due) return;
        timer.QueuedAt = timer.Due;
        _heap.Enqueue(timer, timer.Due);
    }

    /// <summary>epoll_wait's timeout: -1 with no timers, else the milliseconds until the next one (rounded up).</summary>
    public int MillisecondsUntilNext(long now)
    {
        while (_heap.TryPeek(out var timer, out var at))
        {
            if (at != timer.QueuedAt)
            {
                _heap.Dequeue(); // stale: the timer was queued again earlier, or disarmed
                continue;
            }
            if (at <= now) return 0;
            var ms = Math.Ceiling((at - now) * 1000.0 / Stopwatch.Frequency);
            return ms >= int.MaxValue ? int.MaxValue : (int)ms;
        }
        return -1;
    }

    /// <summary>Fires every timer due at <paramref name="now"/>.</summary>
    public void RunDue(long now)
    {
        while (_heap.TryPeek(out var timer, out var at) && at <= now)
        {
            _heap.Dequeue();
            if (at != timer.QueuedAt) continue;
            timer.QueuedAt = long.MaxValue;
            if (timer.Due <= now) timer.Fire(now);
            else Schedule(timer); // moved later since it was queued
        }
    }
}
