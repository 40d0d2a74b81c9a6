using Hyper.Core.Application;
using Hyper.EndToEnd.Tests;

namespace Hyper.Conformance.Tests;

/// <summary>
/// One Hyper server per backend running one application, started on first use and shared by every case of a
/// test class (each case still opens its own connection), so a corpus replays in seconds.
/// </summary>
public abstract class SharedServers(AsgiApplication app) : IAsyncLifetime
{
    private readonly Dictionary<string, Task<TestServer>> _servers = [];

    public Task<TestServer> ForBackendAsync(string backend)
    {
        lock (_servers)
        {
            if (!_servers.TryGetValue(backend, out var server))
            {
                server = TestServer.StartAsync(backend, app);
                _servers.Add(backend, server);
            }
            return server;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            if (server.IsCompletedSuccessfully) await server.Result.DisposeAsync();
        }
    }
}
