using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;
using Hyper.Transport.Sockets;

namespace Hyper.Backends.ThreadPool;

/// <summary>The default backend: sockets and pipes on the .NET thread pool (Kestrel's model).</summary>
public sealed class ThreadPoolBackend : IServerBackend, IDatagramTransport
{
    public const string BackendName = "thread-pool";

    private readonly ThreadPoolTaskScope _root = new();

    public string Name => BackendName;
    public TimeProvider Time => TimeProvider.System;
    public ITaskScope RootScope => _root;

    public ValueTask<IReadOnlyList<ITransportListener>> BindAsync(BindAddress address, int backlog, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<ITransportListener>>([SocketListener.Bind(address, backlog)]);

    /// <summary>One UDP socket; its receives complete on the thread pool.</summary>
    public ValueTask<IReadOnlyList<IDatagramSocket>> BindDatagramAsync(BindAddress address, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<IDatagramSocket>>([UdpDatagramSocket.Bind(address)]);

    public Task RunAsync(Func<CancellationToken, Task> main, CancellationToken cancellationToken) => main(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _root.Cancel();
        await _root.WhenAllAsync().ConfigureAwait(false);
    }
}
