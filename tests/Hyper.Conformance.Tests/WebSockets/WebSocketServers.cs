using Hyper.Conformance.WebSockets;
using Hyper.EndToEnd.Tests;

namespace Hyper.Conformance.Tests.WebSockets;

/// <summary>
/// The WebSocket suite's servers: <see cref="WebSocketEchoApplication"/> on every backend, one per server profile,
/// started on first use and shared by every case of the run (each case opens its own connection).
/// </summary>
public sealed class WebSocketServers : IAsyncLifetime
{
    private readonly Dictionary<(string, WebSocketServerProfile), Task<TestServer>> _servers = [];

    public Task<TestServer> ForAsync(string backend, WebSocketServerProfile profile)
    {
        lock (_servers)
        {
            if (!_servers.TryGetValue((backend, profile), out var server))
            {
                server = TestServer.StartAsync(backend, WebSocketEchoApplication.RunAsync, options => WebSocketServerProfiles.Apply(profile, options));
                _servers.Add((backend, profile), server);
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
