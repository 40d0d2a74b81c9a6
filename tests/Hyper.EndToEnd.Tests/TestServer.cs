using System.Net;
using System.Net.Sockets;
using Hyper.Backends.ThreadPool;
using Hyper.Backends.SingleThreadLoop;
using Hyper.Backends.Structured;
using Hyper.Core.Application;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Hosting;
using Hyper.Core.Logging;
using Hyper.Core.Protocols;
using Hyper.Http11;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hyper.EndToEnd.Tests;

/// <summary>A real Hyper server on 127.0.0.1, port 0, on the backend a test names; stopped on dispose.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _shutdown;
    private readonly IServerBackend _backend;

    private TestServer(HyperServer server, IServerBackend backend, Task<int> running, int port, RecordingAccessLog log, RecentLog serverLog,
        CancellationTokenSource shutdown)
    {
        ServerLog = serverLog;
        _shutdown = shutdown;
        Server = server;
        _backend = backend;
        Running = running;
        Port = port;
        AccessLog = log;
    }

    public HyperServer Server { get; }
    public Task<int> Running { get; }
    public int Port { get; }
    public RecordingAccessLog AccessLog { get; }

    /// <summary>The server's last log lines, for failure messages.</summary>
    public RecentLog ServerLog { get; }
    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public static IServerBackend CreateBackend(string name) => name switch
    {
        ThreadPoolBackend.BackendName => new ThreadPoolBackend(),
        StructuredBackend.BackendName => new StructuredBackend(),
        SingleThreadLoopBackend.BackendName => new SingleThreadLoopBackend(new SingleThreadLoopOptions { Loops = 1 }),
        _ => throw new ArgumentException($"unknown backend {name}"),
    };

    public static async Task<TestServer> StartAsync(string backendName, AsgiApplication app, Func<HyperOptions, HyperOptions>? configure = null,
        Func<HyperOptions, Hyper.Core.Transport.ITlsHandshaker>? tls = null)
    {
        var options = new HyperOptions
        {
            Bind = [new BindAddress(BindKind.Tcp, "127.0.0.1", 0)],
            GracefulTimeout = TimeSpan.FromSeconds(5),
        };
        options = (configure?.Invoke(options) ?? options).Validate();
        var backend = CreateBackend(backendName);
        var log = new RecordingAccessLog();
        var serverLog = new RecentLog();
        var server = new HyperServer(options, app, backend, new ProtocolRegistry([Http11Module.Registration(options), Hyper.Http2.Http2Module.Registration(options)]), log, serverLog, tls?.Invoke(options));
        var shutdown = new CancellationTokenSource();
        var running = server.RunAsync(shutdown.Token);
        var started = await server.Started.WaitAsync(TimeSpan.FromSeconds(10));
        return new TestServer(server, backend, running, ((IPEndPoint)started[0]).Port, log, serverLog, shutdown);
    }

    /// <summary>Starts graceful shutdown (like SIGTERM) without waiting for it.</summary>
    public void BeginShutdown() => _shutdown.Cancel();

    public HttpClient CreateClient() => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        BaseAddress = BaseUri,
        Timeout = TimeSpan.FromSeconds(15),
    };

    public async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, Port);
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        _shutdown.Cancel();
        await Running.WaitAsync(TimeSpan.FromSeconds(15));
        await _backend.DisposeAsync();
    }
}

/// <summary>Keeps access-log entries for assertions.</summary>
public sealed class RecordingAccessLog : IAccessLog
{
    private readonly List<AccessLogEntry> _entries = [];
    public bool IsEnabled => true;
    public void Log(AccessLogEntry entry)
    {
        lock (_entries) _entries.Add(entry);
    }

    public async Task<IReadOnlyList<AccessLogEntry>> WaitForAsync(int count)
    {
        // The entry is written after the response has gone out, so the client can be a little ahead.
        for (var i = 0; i < 200 && Entries.Count < count; i++) await Task.Delay(10);
        return Entries;
    }

    public IReadOnlyList<AccessLogEntry> Entries
    {
        get { lock (_entries) return _entries.ToArray(); }
    }
}

/// <summary>The backends every end-to-end test runs on (a theory over the backend name, docs/architecture.md, Backends).</summary>
public static class Backends
{
    public static TheoryData<string> All => new() { ThreadPoolBackend.BackendName, SingleThreadLoopBackend.BackendName, StructuredBackend.BackendName };
}
