using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Hyper.Core.Application;

namespace Hyper.EndToEnd.Tests;

/// <summary>
/// Slow read (docs/security.md SL-03) over real sockets: clients whose tiny receive window lets them take a few bytes a
/// second from a multi-megabyte response are cut within the grace period plus a bounded margin, alone or fifty at once,
/// while a reader above the minimum rate and a long poll that reads nothing while the application writes nothing are
/// left alone. The server's verdict is seen from the client's kernel (TCP_INFO state): the abort is a reset, which
/// leaves the client's socket CLOSED at once.
/// </summary>
public sealed class SlowReaderTests
{
    // A minimum rate far above the slow readers' (160 B/s) and far below the fair reader's (about 80 KB/s), so
    // that load on a shared machine cannot move either across it.
    private const double MinRate = 5_000;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);
    // The slow reader's own kernel buffer is acknowledged at once (a few KiB: under a second at MinRate), checks run
    // once a second, and a loaded machine runs them late: the bound is generous, the point is "not the whole response".
    private static readonly TimeSpan CutBound = TimeSpan.FromSeconds(15);

    private static Func<Hyper.Core.Configuration.HyperOptions, Hyper.Core.Configuration.HyperOptions> Rate =>
        o => o with { MinResponseRate = MinRate, MinResponseRateGrace = Grace };

    /// <summary>GET /?n=N answers N bytes in 64 KiB chunks; what the application saw of the client is recorded.</summary>
    private sealed class BigResponseApp
    {
        public int Disconnected;
        public int Completed;

        public async ValueTask RunAsync(AsgiScope scope, AsgiReceive receive, AsgiSend send)
        {
            if (scope is not HttpScope http) return;
            var query = Encoding.ASCII.GetString(http.QueryString.Span);
            var size = long.Parse(query.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture);
            var chunk = new byte[64 * 1024];
            try
            {
                await send(new HttpResponseStart(200, [Apps.H("content-length", size.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
                for (long sent = 0; sent < size; sent += chunk.Length)
                    await send(new HttpResponseBody(chunk.AsMemory(0, (int)Math.Min(chunk.Length, size - sent)), MoreBody: sent + chunk.Length < size));
                Interlocked.Increment(ref Completed);
            }
            catch (ClientDisconnectedException)
            {
                Interlocked.Increment(ref Disconnected);
            }
        }
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task TinyWindowReader_FewBytesASecond_IsCutWithinGracePlusMargin(string backend)
    {
        var app = new BigResponseApp();
        await using var server = await TestServer.StartAsync(backend, app.RunAsync, Rate);
        using var reader = await SlowReader.StartAsync(server.Port, "/?n=8388608");

        var elapsed = await reader.ReadSlowlyUntilServerClosesAsync(bytesPerStep: 16, step: TimeSpan.FromMilliseconds(100), CutBound);

        elapsed.Should().NotBeNull($"the server should cut a 160 B/s reader within {CutBound.TotalSeconds} s (read {reader.Received} bytes)");
        reader.Received.Should().BeLessThan(8388608);
        app.Completed.Should().Be(0);
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task FiftyTinyWindowReaders_AreAllCut(string backend)
    {
        var app = new BigResponseApp();
        await using var server = await TestServer.StartAsync(backend, app.RunAsync, Rate);
        var readers = new List<SlowReader>();
        try
        {
            for (var i = 0; i < 50; i++) readers.Add(await SlowReader.StartAsync(server.Port, "/?n=4194304"));

            var results = await Task.WhenAll(readers.Select(r =>
                r.ReadSlowlyUntilServerClosesAsync(bytesPerStep: 16, step: TimeSpan.FromMilliseconds(250), CutBound + TimeSpan.FromSeconds(5))));

            results.Count(e => e is null).Should().Be(0, "every slow reader is cut, however many there are");
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ReaderAboveTheRate_GetsTheWholeResponse(string backend)
    {
        // 8 KiB every 100 ms is about 80 KB/s, 16 times the minimum; 384 KiB take about 5 s.
        const int size = 384 * 1024;
        var app = new BigResponseApp();
        await using var server = await TestServer.StartAsync(backend, app.RunAsync, Rate);
        using var reader = await SlowReader.StartAsync(server.Port, $"/?n={size}", receiveBuffer: 16 * 1024);

        var closedAfter = await reader.ReadSlowlyUntilServerClosesAsync(bytesPerStep: 8 * 1024, step: TimeSpan.FromMilliseconds(100),
            TimeSpan.FromSeconds(60), stopAfterBody: size);

        closedAfter.Should().BeNull("a reader well above the minimum rate is not cut");
        reader.BodyReceived.Should().Be(size);
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task LongPoll_ClientReadsNothingWhileTheApplicationWritesNothing_IsNotCut(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is not HttpScope) return;
            await send(new HttpResponseStart(200, []));
            await send(new HttpResponseBody("waiting;"u8.ToArray(), MoreBody: true));
            // Four times the grace with nothing to send: nothing waits on the client.
            await Task.Delay(Grace * 4);
            await send(new HttpResponseBody("event"u8.ToArray()));
        }, Rate);
        using var client = await RawHttpClient.ConnectAsync(server);

        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        await Task.Delay(Grace * 2); // not reading

        var response = await client.ReadResponseAsync(timeout: TimeSpan.FromSeconds(30));
        response.BodyText.Should().Be("waiting;event");
    }

    /// <summary>A raw HTTP/1.1 client with a small receive buffer that reads at a pace it chooses.</summary>
    private sealed class SlowReader : IDisposable
    {
        private readonly Socket _socket;
        private long _headerEnd = -1;
        private readonly List<byte> _head = [];

        private SlowReader(Socket socket) => _socket = socket;

        public long Received { get; private set; }
        public long BodyReceived => _headerEnd < 0 ? 0 : Received - _headerEnd;

        public static async Task<SlowReader> StartAsync(int port, string target, int receiveBuffer = 4096)
        {
            // Set before connecting, so the window the client advertises is small from the handshake on.
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = receiveBuffer };
            await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(10));
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), SocketFlags.None);
            return new SlowReader(socket);
        }

        /// <summary>
        /// Reads at most <paramref name="bytesPerStep"/> each <paramref name="step"/> until the server closes or resets
        /// the connection (the time that took) or <paramref name="limit"/> passes, or the body is whole (null).
        /// </summary>
        public async Task<TimeSpan?> ReadSlowlyUntilServerClosesAsync(int bytesPerStep, TimeSpan step, TimeSpan limit, long stopAfterBody = long.MaxValue)
        {
            var clock = Stopwatch.StartNew();
            var buffer = new byte[bytesPerStep];
            while (clock.Elapsed < limit)
            {
                var state = ServerState();
                if (state == TcpClose) return clock.Elapsed;
                // After the server's FIN (a whole response before Connection: close) what is buffered is still read.
                if (_socket.Available > 0 || state == TcpCloseWait)
                {
                    int n;
                    try { n = _socket.Receive(buffer, 0, Math.Min(buffer.Length, Math.Max(1, _socket.Available)), SocketFlags.None); }
                    catch (SocketException) { return clock.Elapsed; }
                    if (n == 0) return BodyReceived >= stopAfterBody ? null : clock.Elapsed;
                    Track(buffer.AsSpan(0, n));
                    if (BodyReceived >= stopAfterBody) return null;
                }
                await Task.Delay(step);
            }
            return null;
        }

        private void Track(ReadOnlySpan<byte> bytes)
        {
            for (var i = 0; i < bytes.Length && _headerEnd < 0; i++)
            {
                _head.Add(bytes[i]);
                var n = _head.Count;
                if (n >= 4 && _head[n - 4] == '\r' && _head[n - 3] == '\n' && _head[n - 2] == '\r' && _head[n - 1] == '\n')
                    _headerEnd = Received + i + 1;
            }
            Received += bytes.Length;
        }

        // Linux tcp_states.h: a reset by the server leaves the client in CLOSE, the server's FIN in CLOSE_WAIT.
        private const int TcpClose = 7;
        private const int TcpCloseWait = 8;

        /// <summary>
        /// The client socket's TCP state, from its kernel (Linux TCP_INFO tcpi_state): a reset by the server is seen at
        /// once, without reading through what the small buffer still holds.
        /// </summary>
        private int ServerState()
        {
            Span<byte> info = stackalloc byte[8];
            try
            {
                _socket.GetRawSocketOption(6, 11, info);
            }
            catch (SocketException)
            {
                return TcpClose;
            }
            return info[0];
        }

        public void Dispose() => _socket.Dispose();
    }
}
