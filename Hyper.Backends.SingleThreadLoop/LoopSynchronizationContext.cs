namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// The loop's SynchronizationContext, installed on the loop thread: an <c>await</c> that captures it (every
/// application await that does not say <c>ConfigureAwait(false)</c>) resumes on the loop, like a coroutine
/// resumed by asyncio, whatever thread completed the awaited operation.
/// </summary>
public sealed class LoopSynchronizationContext : SynchronizationContext
{
    private readonly EventLoop _loop;

    internal LoopSynchronizationContext(EventLoop loop) => _loop = loop;

    /// <summary>The managed thread id of the loop this context belongs to.</summary>
    public int LoopThreadId => _loop.ThreadId;

    public override void Post(SendOrPostCallback d, object? state) =>
        _loop.Post(static s => { var (callback, arg) = ((SendOrPostCallback, object?))s!; callback(arg); }, (d, state));

    public override void Send(SendOrPostCallback d, object? state)
    {
        if (_loop.IsOnLoop)
        {
            d(state);
            return;
        }
        using var done = new ManualResetEventSlim();
        Exception? failure = null;
        _loop.Post(_ =>
        {
            try { d(state); }
            catch (Exception ex) { failure = ex; }
            finally { done.Set(); }
        }, null);
        done.Wait();
        if (failure is not null) throw new InvalidOperationException("The callback sent to the event loop failed.", failure);
    }

    // One context per loop: copies are the same loop.
    public override SynchronizationContext CreateCopy() => this;
}
