using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;
using Hyper.Transport.Sockets;

namespace Hyper.Backends.Structured;

/// <summary>
/// The structured-concurrency backend (trio's model, docs/architecture.md, Backends). The server is one root <see cref="TaskGroup"/>:
/// accept loops, each connection's group (and in it the request groups behind <c>hyper.task_group</c>) and each
/// socket's I/O loops are nested in it. <see cref="RunAsync"/> runs the server's main task inside the root and,
/// when it returns, cancels the root and closes it, so nothing the server started is left running.
/// </summary>
public sealed class StructuredBackend : IServerBackend, IDatagramTransport
{
    public const string BackendName = "structured";

    /// <summary>
    /// How long stopping waits, once the root is cancelled, for tasks that ignore cancellation. A .NET task cannot
    /// be killed: after this the backend stops without them and <see cref="LiveTasks"/> still counts them.
    /// </summary>
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(2);

    private readonly TimeSpan _stopTimeout;

    public StructuredBackend() : this(TimeProvider.System, DefaultStopTimeout) { }

    public StructuredBackend(TimeProvider time, TimeSpan stopTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stopTimeout, TimeSpan.Zero);
        Time = time;
        _stopTimeout = stopTimeout;
        Root = new TaskGroup(time);
    }

    public string Name => BackendName;
    public TimeProvider Time { get; }

    /// <summary>The server's root group; cancelling it is the hard stop.</summary>
    public TaskGroup Root { get; }

    public ITaskScope RootScope => Root;

    /// <summary>Tasks running now anywhere in the server (0 after a clean stop).</summary>
    public int LiveTasks => Root.LiveTasks;

    public ValueTask<IReadOnlyList<ITransportListener>> BindAsync(BindAddress address, int backlog, CancellationToken cancellationToken = default)
    {
        var group = Root.CreateChildGroup();
        try
        {
            return ValueTask.FromResult<IReadOnlyList<ITransportListener>>([SocketListener.Bind(address, backlog, group.CreateChild, group.Token, group.Time)]);
        }
        catch
        {
            group.Cancel();
            CallbackGuard.Forget(group.CloseAsync(), "listener task group close");
            throw;
        }
    }

    /// <summary>
    /// One UDP socket. Its receive loop is the caller's task, spawned in <see cref="Root"/> like an accept loop, so the
    /// root group owns it and a stop cancels it.
    /// </summary>
    public ValueTask<IReadOnlyList<IDatagramSocket>> BindDatagramAsync(BindAddress address, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<IDatagramSocket>>([UdpDatagramSocket.Bind(address)]);

    /// <summary>
    /// Runs <paramref name="main"/> as a task of the root group; when it returns (or <paramref name="cancellationToken"/>
    /// fires) cancels the root and closes it, re-raising any task's failure. Tasks still running
    /// <see cref="DefaultStopTimeout"/> after the cancellation are left behind rather than hanging the stop.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> main, CancellationToken cancellationToken)
    {
        var mainEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Root.Spawn(async token =>
        {
            try { await main(token).ConfigureAwait(false); }
            finally { mainEnded.TrySetResult(); }
        });
        using (CallbackGuard.Register(cancellationToken, static root => ((TaskGroup)root!).Cancel(), Root))
        {
            await mainEnded.Task.ConfigureAwait(false);
        }
        Root.Cancel();
        var closing = Root.CloseAsync().AsTask();
        try
        {
            await closing.WaitAsync(_stopTimeout, Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The stragglers' failures can no longer reach anyone; observe them so they are not reported as unobserved.
            CallbackGuard.Forget(closing, "task left running after the stop timeout");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Root.Cancel();
        try
        {
            await Root.WhenAllAsync().WaitAsync(_stopTimeout, Time).ConfigureAwait(false);
        }
        catch (TimeoutException) { }
    }
}
