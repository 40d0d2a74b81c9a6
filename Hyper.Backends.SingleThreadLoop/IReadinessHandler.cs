namespace Hyper.Backends.SingleThreadLoop;

/// <summary>Something registered with an <see cref="EventLoop"/>'s poller: told on the loop when its fd is ready.</summary>
internal interface IReadinessHandler
{
    /// <summary>The epoll events that fired (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP…).</summary>
    void OnReady(uint events);
}
