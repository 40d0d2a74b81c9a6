using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hyper.EndToEnd.Tests.Metrics;

/// <summary>A UDP socket on 127.0.0.1 that keeps every StatsD line it receives, with the sender's port.</summary>
public sealed class StatsdReceiver : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly ConcurrentQueue<(int SenderPort, string Line)> _lines = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;

    public StatsdReceiver()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _receiving = ReceiveAsync();
    }

    /// <summary>The <c>--statsd-host</c> value for this receiver.</summary>
    public string Address => $"127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}";

    public IReadOnlyList<(int SenderPort, string Line)> Lines => [.. _lines];

    private async Task ReceiveAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
                var port = ((IPEndPoint)result.RemoteEndPoint).Port;
                foreach (var line in Encoding.ASCII.GetString(buffer, 0, result.ReceivedBytes).Split('\n')) _lines.Enqueue((port, line));
            }
        }
        catch (OperationCanceledException) { }
        catch (SocketException) { }
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until <paramref name="done"/> holds for the lines so far; returns them.</summary>
    public async Task<IReadOnlyList<(int SenderPort, string Line)>> WaitForAsync(Func<IReadOnlyList<(int SenderPort, string Line)>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var lines = Lines;
            if (done(lines) || DateTime.UtcNow > deadline) return lines;
            await Task.Delay(20);
        }
    }

    /// <summary>The sum of the values of counter lines named <paramref name="name"/> (<c>name:N|c...</c>).</summary>
    public static long CounterSum(IEnumerable<(int SenderPort, string Line)> lines, string name) =>
        lines.Where(l => l.Line.StartsWith(name + ":", StringComparison.Ordinal) && l.Line.Contains("|c"))
            .Sum(l => long.Parse(l.Line.AsSpan(name.Length + 1, l.Line.IndexOf('|') - name.Length - 1), System.Globalization.CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _receiving.WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
