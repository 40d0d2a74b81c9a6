namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// A TaskScheduler that runs tasks on one loop: for code that starts tasks explicitly
/// (<c>Task.Factory.StartNew(…, scheduler)</c>) or captures <c>TaskScheduler.Current</c>.
/// </summary>
public sealed class LoopTaskScheduler : TaskScheduler
{
    private readonly EventLoop _loop;

    internal LoopTaskScheduler(EventLoop loop) => _loop = loop;

    public override int MaximumConcurrencyLevel => 1;

    protected override void QueueTask(Task task) =>
        _loop.Post(static s => { var (scheduler, t) = ((LoopTaskScheduler, Task))s!; scheduler.TryExecuteTask(t); }, (this, task));

    // Inline only on the loop's own thread: anywhere else the task would run off its loop.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        _loop.IsOnLoop && TryExecuteTask(task);

    // Queued tasks live in the loop's run queue among other work items; debuggers get no list.
    protected override IEnumerable<Task>? GetScheduledTasks() => null;
}
