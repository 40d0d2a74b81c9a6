using Hyper.Core.Configuration;
using Hyper.Core.Transport;

namespace Hyper.Core.Concurrency;

/// <summary>
/// A concurrency backend (docs/architecture.md, Backends): a transport, a task scope and a clock, nothing more. Everything else
/// (protocols, the connection driver, the application interface) is shared by all backends.
/// </summary>
public interface IServerBackend : IAsyncDisposable
{
    /// <summary>The configuration name, e.g. <c>thread-pool</c>.</summary>
    string Name { get; }

    /// <summary>The clock every deadline is measured on.</summary>
    TimeProvider Time { get; }

    /// <summary>The root task scope: the server's lifetime.</summary>
    ITaskScope RootScope { get; }

    /// <summary>
    /// Binds a listening address. A backend may return several listeners for one address (an event-loop
    /// backend binds one SO_REUSEPORT socket per loop); the server runs one accept loop per listener, started
    /// through <see cref="RootScope"/>, and connections are driven where their listener's accept completes.
    /// </summary>
    ValueTask<IReadOnlyList<ITransportListener>> BindAsync(BindAddress address, int backlog, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="main"/> in the backend's own context (the loop thread for an event loop, the root
    /// group for structured concurrency) and completes when it does.
    /// </summary>
    Task RunAsync(Func<CancellationToken, Task> main, CancellationToken cancellationToken);
}
