using System.IO.Pipelines;

namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// Runs pipe continuations on the loop: inline when the pipe is completed on the loop already (the hot path:
/// no queueing), posted to the loop when another thread completed it (e.g. application code the user moved off
/// the loop flushed a response).
/// </summary>
internal sealed class LoopPipeScheduler : PipeScheduler
{
    private readonly EventLoop _loop;

    public LoopPipeScheduler(EventLoop loop) => _loop = loop;

    public override void Schedule(Action<object?> action, object? state) => _loop.Run(action, state);
}
