using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hyper.Conformance.Tests.Http11;

/// <summary>A one-connection loopback server that plays a fixed script, to test the runner without Hyper.</summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _script;

    public ScriptedServer(Func<NetworkStream, Task> script)
    {
        _listener.Start();
        _script = RunAsync(script);
    }

    public EndPoint EndPoint => _listener.LocalEndpoint;

    /// <summary>Reads until <paramref name="marker"/> has arrived, so replies follow the client's whole write.</summary>
    public static async Task ReadUntilAsync(NetworkStream stream, string marker)
    {
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        while (!seen.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0) return;
            seen.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }
    }

    public static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.Latin1.GetBytes(text)).AsTask();

    private async Task RunAsync(Func<NetworkStream, Task> script)
    {
        using var client = await _listener.AcceptTcpClientAsync();
        await script(client.GetStream());
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _script.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
