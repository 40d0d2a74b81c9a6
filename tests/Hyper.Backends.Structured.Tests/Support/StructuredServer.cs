using System.Net;
using System.Net.Sockets;
using Hyper.Backends.Structured;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Core.Hosting;
using Hyper.Core.Logging;
using Hyper.Core.Protocols;
using Hyper.Http11;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hyper.Backends.Structured.Tests.Support;

/// <summary>A real <see cref="HyperServer"/> on the structured backend, on 127.0.0.1 port 0; stopped on dispose.</summary>
public sealed class StructuredServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _shutdown = new();

    private StructuredServer(HyperServer server, StructuredBackend backend, RecordingAccessLog accessLog)
    {
        Server = server;
        Backend = backend;
        AccessLog = accessLog;
        Running = server.RunAsync(_shutdown.Token);
    }

    public HyperServer Server { get; }
    public StructuredBackend Backend { get; }
    public RecordingAccessLog AccessLog { get; }
    public Task<int> Running { get; }
    public int Port { get; private set; }

    public static async Task<StructuredServer> StartAsync(AsgiApplication app, TimeSpan gracefulTimeout, Action<AccessLogEntry>? onAccessLog = null)
    {
        var options = new HyperOptions
        {
            Bind = [new BindAddress(BindKind.Tcp, "127.0.0.1", 0)],
            GracefulTimeout = gracefulTimeout,
        }.Validate();
        var backend = new StructuredBackend();
        var log = new RecordingAccessLog(onAccessLog);
        var server = new HyperServer(options, app, backend, new ProtocolRegistry([Http11Module.Registration(options)]), log, NullLoggerFactory.Instance);
        var running = new StructuredServer(server, backend, log);
        var endPoints = await server.Started.WaitAsync(TimeSpan.FromSeconds(10));
        running.Port = ((IPEndPoint)endPoints[0]).Port;
        return running;
    }

    /// <summary>Starts graceful shutdown (like SIGTERM) without waiting for it.</summary>
    public void BeginShutdown() => _shutdown.Cancel();

    public async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, Port);
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        _shutdown.Cancel();
        try { await Running.WaitAsync(TimeSpan.FromSeconds(15)); }
        finally
        {
            await Backend.DisposeAsync();
            _shutdown.Dispose();
        }
    }
}

/// <summary>Keeps access-log entries; an optional hook runs as each one is written.</summary>
public sealed class RecordingAccessLog(Action<AccessLogEntry>? onLog) : IAccessLog
{
    private readonly List<AccessLogEntry> _entries = [];

    public bool IsEnabled => true;

    public void Log(AccessLogEntry entry)
    {
        onLog?.Invoke(entry);
        lock (_entries) _entries.Add(entry);
    }

    public IReadOnlyList<AccessLogEntry> Entries
    {
        get { lock (_entries) return _entries.ToArray(); }
    }
}
