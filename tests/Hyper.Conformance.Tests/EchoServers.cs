using Hyper.Conformance.Http11;
using Hyper.EndToEnd.Tests;

namespace Hyper.Conformance.Tests;

/// <summary>
/// One Hyper server running <see cref="EchoApplication"/> per backend, shared by every vector of a test class
/// (each vector still gets its own connection), so the corpus replays in seconds.
/// </summary>
public sealed class EchoServers : IAsyncLifetime
{
    private readonly Dictionary<string, Task<TestServer>> _servers = [];

    public Task<TestServer> ForBackendAsync(string backend)
    {
        lock (_servers)
        {
            if (!_servers.TryGetValue(backend, out var server))
            {
                server = TestServer.StartAsync(backend, EchoApplication.RunAsync);
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
