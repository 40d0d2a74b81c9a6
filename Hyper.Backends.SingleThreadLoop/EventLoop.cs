using System.Collections.Concurrent;
using System.Diagnostics;
using Hyper.Backends.SingleThreadLoop.Interop;
using Hyper.Core.Concurrency;

namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// asyncio's event loop on one dedicated thread: a run queue (work posted from any thread, the sleeping loop
/// woken through an eventfd), a timer queue, and an epoll poller for non-blocking sockets. Everything a loop owns
/// (its sockets, their pipes' readers and writers, its timers) is touched only on its thread; other threads
/// <see cref="Post"/> to it. The loop thread runs with its <see cref="LoopSynchronizationContext"/> installed, so
/// an application's own awaits resume here.
/// </summary>
internal sealed class EventLoop : IDisposable
{
    private const int MaxEvents = 256;

    [ThreadStatic] private static EventLoop? t_current;

    private readonly Thread _thread;
    private readonly int _epoll;
    private readonly int _wakeFd;
    private readonly ConcurrentQueue<(Action<object?> Action, object? State)> _queue = new();
    private readonly Dictionary<int, IReadinessHandler> _handlers = [];
    private readonly byte[] _events = new byte[MaxEvents * LinuxEpoll.EventSize];
    private readonly byte[] _controlScratch = new byte[LinuxEpoll.EventSize];
    private readonly byte[] _wakeScratch = new byte[8];
    private readonly byte[] _signalScratch = new byte[8];
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _wakePending;
    private volatile bool _stopping;

    public EventLoop(int index)
    {
        Index = index;
        _epoll = LinuxEpoll.CreateEpoll();
        _wakeFd = LinuxEpoll.CreateEventFd();
        LinuxEpoll.Control(_epoll, LinuxEpoll.EPOLL_CTL_ADD, _wakeFd, LinuxEpoll.EPOLLIN, _controlScratch);
        Timers = new LoopTimerQueue(this);
        SynchronizationContext = new LoopSynchronizationContext(this);
        TaskScheduler = new LoopTaskScheduler(this);
        PipeScheduler = new LoopPipeScheduler(this);
        // The backend is the only place that creates threads (docs/architecture.md, Layers): one per loop, for the server's lifetime.
        _thread = new Thread(Run) { IsBackground = true, Name = $"hyper-loop-{index}" };
    }

    /// <summary>The loop the calling thread runs, or null off every loop.</summary>
    public static EventLoop? Current => t_current;

    public int Index { get; }
    public int ThreadId => _thread.ManagedThreadId;
    public bool IsOnLoop => t_current == this;
    public LoopTimerQueue Timers { get; }
    public LoopSynchronizationContext SynchronizationContext { get; }
    public LoopTaskScheduler TaskScheduler { get; }
    public LoopPipeScheduler PipeScheduler { get; }

    /// <summary>Completes when the loop thread has exited.</summary>
    public Task Stopped => _stopped.Task;

    public void Start() => _thread.Start();

    /// <summary>Queues <paramref name="action"/> to run on the loop, from any thread (FIFO).</summary>
    public void Post(Action<object?> action, object? state)
    {
        _queue.Enqueue((action, state));
        // One wake-up per sleep: the loop clears the flag before it drains, so nothing posted later is missed.
        if (!IsOnLoop && Interlocked.Exchange(ref _wakePending, 1) == 0) LinuxEpoll.Signal(_wakeFd, _signalScratch);
    }

    /// <summary>Runs <paramref name="action"/> now when called on the loop, else posts it.</summary>
    public void Run(Action<object?> action, object? state)
    {
        if (IsOnLoop) action(state);
        else Post(action, state);
    }

    /// <summary>Registers a file descriptor for <paramref name="events"/> (level-triggered). Loop thread only.</summary>
    public void Register(int fd, uint events, IReadinessHandler handler)
    {
        AssertOnLoop();
        _handlers[fd] = handler;
        LinuxEpoll.Control(_epoll, LinuxEpoll.EPOLL_CTL_ADD, fd, events, _controlScratch);
    }

    /// <summary>Changes the events a registered descriptor is watched for. Loop thread only.</summary>
    public void Modify(int fd, uint events)
    {
        AssertOnLoop();
        LinuxEpoll.Control(_epoll, LinuxEpoll.EPOLL_CTL_MOD, fd, events, _controlScratch);
    }

    /// <summary>Forgets a descriptor; call before closing it so a reused fd number is never confused. Loop thread only.</summary>
    public void Unregister(int fd)
    {
        AssertOnLoop();
        if (_handlers.Remove(fd)) LinuxEpoll.TryRemove(_epoll, fd, _controlScratch);
    }

    /// <summary>Asks the loop to finish the work already queued and exit.</summary>
    public void Stop()
    {
        _stopping = true;
        if (Interlocked.Exchange(ref _wakePending, 1) == 0) LinuxEpoll.Signal(_wakeFd, _signalScratch);
    }

    [Conditional("DEBUG")]
    private void AssertOnLoop() => Debug.Assert(IsOnLoop, "loop-owned state touched off the loop thread");

    private void Run()
    {
        t_current = this;
        NonBlockingThread.MarkCurrent(true);
        System.Threading.SynchronizationContext.SetSynchronizationContext(SynchronizationContext);
        try
        {
            while (!_stopping)
            {
                RunQueued();
                var timeout = _queue.IsEmpty ? Timers.MillisecondsUntilNext(Stopwatch.GetTimestamp()) : 0;
                if (_stopping) break;
                var count = LinuxEpoll.Wait(_epoll, _events, timeout);
                for (var i = 0; i < count; i++)
                {
                    var (events, fd) = LinuxEpoll.ReadEvent(_events, i);
                    if (fd == _wakeFd)
                    {
                        LinuxEpoll.Drain(_wakeFd, _wakeScratch);
                        Volatile.Write(ref _wakePending, 0);
                        continue;
                    }
                    if (_handlers.TryGetValue(fd, out var handler)) Dispatch(handler, events);
                }
                Timers.RunDue(Stopwatch.GetTimestamp());
            }
            RunQueued();
        }
        finally
        {
            foreach (var fd in _handlers.Keys.ToArray()) LinuxEpoll.TryRemove(_epoll, fd, _controlScratch);
            LinuxEpoll.Close(_wakeFd);
            LinuxEpoll.Close(_epoll);
            t_current = null;
            NonBlockingThread.MarkCurrent(false);
            _stopped.TrySetResult();
        }
    }

    private void RunQueued()
    {
        // Only what is queued now: work that posts more work must not starve the poller.
        var count = _queue.Count;
        while (count-- > 0 && _queue.TryDequeue(out var item)) Invoke(item.Action, item.State);
    }

    private static void Dispatch(IReadinessHandler handler, uint events)
    {
        // Caught here rather than through CallbackGuard.Invoke: this runs per I/O event and must not box its arguments.
        try { handler.OnReady(events); }
        catch (Exception ex) { CallbackGuard.Report(ex, "readiness handler"); }
    }

    /// <summary>Runs one callback; a failure in it must not kill the loop (asyncio logs and goes on).</summary>
    internal static void Invoke(Action<object?> action, object? state)
    {
        CallbackGuard.Invoke(action, state, "event loop callback");
    }

    public void Dispose() => Stop();
}
