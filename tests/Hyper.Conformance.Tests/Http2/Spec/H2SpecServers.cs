using Hyper.Conformance.Http2.Spec;
using Hyper.EndToEnd.Tests;

namespace Hyper.Conformance.Tests.Http2.Spec;

/// <summary>
/// One Hyper server per backend running <see cref="H2SpecApplication"/> with HTTP/1.1 and HTTP/2 (h2c prior
/// knowledge on the shared cleartext port), shared by every case of a test class; each case gets its own connection.
/// </summary>
public sealed class H2SpecServers : IAsyncLifetime
{
    private readonly Dictionary<string, Task<TestServer>> _servers = [];

    public Task<TestServer> ForBackendAsync(string backend)
    {
        lock (_servers)
        {
            if (!_servers.TryGetValue(backend, out var server))
            {
                server = TestServer.StartAsync(backend, H2SpecApplication.RunAsync);
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
