using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Hyper.EndToEnd.Tests.Tls;

namespace Hyper.EndToEnd.Tests;

/// <summary>
/// Issue #9: a client that closes a silent connection just as a server timeout fires must not be able to crash the
/// process. The README's server (the real <c>hyper</c> process, so a crash is an exit, not a dead test host) is kept
/// busy by a load loop while rounds of silent connections are closed around a short timeout (its value −4 ms …
/// +12 ms after connecting); afterwards the process must still be running, answer a normal request, and have
/// logged no unhandled exception. Three timeouts race that way: the keep-alive wait for a cleartext connection's
/// first bytes (the h2c preface sniff), the TLS handshake timeout, and the request-headers timeout.
/// </summary>
public sealed class TimeoutRaceTests
{
    private const int Rounds = 16;
    private const int ConnectionsPerRound = 200;
    private const int LoadWorkers = 8;
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(200);

    public enum Race
    {
        /// <summary>Silent cleartext connections: the server waits for the first bytes within keep_alive_timeout.</summary>
        KeepAliveSniff,

        /// <summary>Silent connections on a TLS bind: the handshake must finish within tls_handshake_timeout.</summary>
        TlsHandshake,

        /// <summary>Half a request head, then silence: the head must arrive within request_headers_timeout.</summary>
        RequestHeaders,
    }

    public static TheoryData<string, Race> Cases()
    {
        var data = new TheoryData<string, Race>();
        foreach (var backend in Backends.All)
        {
            foreach (var race in Enum.GetValues<Race>()) data.Add(backend, race);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ClosingAroundTimeout_UnderLoad_ServerSurvivesAndAnswers(string backend, Race race)
    {
        using var tls = race == Race.TlsHandshake ? new TlsMaterial() : null;
        var seconds = Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>
        {
            ["HYPER_REQUEST_HEADERS_TIMEOUT"] = race == Race.RequestHeaders ? seconds : "10",
            ["HYPER_TLS_HANDSHAKE_TIMEOUT"] = race == Race.TlsHandshake ? seconds : "10",
        };
        List<string> arguments = [HyperProcess.HelloApp, "--bind", "127.0.0.1:0", "--worker-class", backend,
            "--keep-alive", race == Race.KeepAliveSniff ? seconds : "10",
            // A round's connections are all accepted at once; with the default backlog of 100 the kernel would hold
            // half of them back for a SYN-ACK retransmit a second later, long after their close.
            "--backlog", "1024"];
        if (tls is not null) arguments.AddRange(["--certfile", tls.CertFile, "--keyfile", tls.KeyFile]);
        using var hyper = HyperProcess.Start(environment, [.. arguments]);
        var port = await hyper.WaitForPortAsync();
        var origin = new Uri($"{(tls is null ? "http" : "https")}://127.0.0.1:{port}/");

        using var client = NewClient();
        using var stopLoad = new CancellationTokenSource();
        var load = File.Exists(Wrk)
            ? [WrkAsync(origin, stopLoad.Token)]
            : Enumerable.Range(0, LoadWorkers).Select(_ => LoadAsync(client, origin, stopLoad.Token)).ToArray();
        try
        {
            var random = new Random(9);
            var serverTimeout = Timeout;
            for (var round = 0; round < Rounds && !hyper.HasExited; round++)
            {
                // The server's timer starts when it accepts, some milliseconds after the client's connect returns, and
                // more under load: aim the closes at when the server really times out, as seen from here.
                if (round % 4 == 0) serverTimeout = await MeasureServerTimeoutAsync(port, race);
                await RunRoundAsync(port, race, serverTimeout, random);
            }
        }
        finally
        {
            stopLoad.Cancel();
            await Task.WhenAll(load);
        }

        hyper.HasExited.Should().BeFalse("a client closing at a timeout must not end the server; stderr: {0}", hyper.Stderr);
        (await client.GetStringAsync(origin)).Should().Be("Hello, World!");
        hyper.Stderr.Should().NotContain("Unhandled exception");
    }

    /// <summary>The median time from connect until the server closes a connection that does what <paramref name="race"/> does.</summary>
    private static async Task<TimeSpan> MeasureServerTimeoutAsync(int port, Race race)
    {
        var sockets = (await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => ConnectAsync(port, race))))
            .OfType<(Socket Socket, DateTime Opened)>().ToArray();
        if (sockets.Length == 0) return Timeout;
        var closedAfter = await Task.WhenAll(sockets.Select(async s =>
        {
            using var socket = s.Socket;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var buffer = new byte[1024];
            try
            {
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0) { }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException) { }
            return DateTime.UtcNow - s.Opened;
        }));
        Array.Sort(closedAfter);
        return closedAfter[closedAfter.Length / 2];
    }

    /// <summary>Opens a round of connections, then closes each at the server's timeout plus its own jitter.</summary>
    private static async Task RunRoundAsync(int port, Race race, TimeSpan serverTimeout, Random random)
    {
        var sockets = (await Task.WhenAll(Enumerable.Range(0, ConnectionsPerRound).Select(_ => ConnectAsync(port, race))))
            .OfType<(Socket Socket, DateTime Opened)>().ToArray();
        var closes = new Task[sockets.Length];
        for (var i = 0; i < sockets.Length; i++)
        {
            var (socket, opened) = sockets[i];
            var closeAt = opened + serverTimeout + TimeSpan.FromMilliseconds(random.Next(-4, 13));
            // Half leave with a FIN, half with a reset: both end the server's read at the same moment as its timer.
            var abortive = (i & 1) == 1;
            closes[i] = CloseAtAsync(socket, closeAt, abortive);
        }
        await Task.WhenAll(closes);
    }

    /// <summary>A connection in the state <paramref name="race"/> needs, or null when the connect itself failed.</summary>
    private static async Task<(Socket Socket, DateTime Opened)?> ConnectAsync(int port, Race race)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            var opened = DateTime.UtcNow;
            if (race == Race.RequestHeaders) await socket.SendAsync("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"u8.ToArray());
            return (socket, opened);
        }
        catch (SocketException)
        {
            // Under this load a connect is now and then reset (seen on TLS binds); an attacker does not mind, and the
            // round goes on with the connections that opened.
            socket.Dispose();
            return null;
        }
    }

    private static async Task CloseAtAsync(Socket socket, DateTime closeAt, bool abortive)
    {
        var wait = closeAt - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        if (abortive) socket.LingerState = new LingerOption(true, 0);
        socket.Dispose();
    }

    private const string Wrk = "/usr/bin/wrk";

    /// <summary>wrk (as in the report) keeps the server's threads busy from outside this process, for up to a minute.</summary>
    private static async Task WrkAsync(Uri origin, CancellationToken stop)
    {
        try
        {
            await ExternalTool.RunAsync(Wrk, TimeSpan.FromSeconds(70), ["-t2", "-c128", "-d60s", origin.ToString()], cancellationToken: stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task LoadAsync(HttpClient client, Uri origin, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await client.GetStringAsync(origin, stop);
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // A crashed server is reported by the test itself; the load only has to stop hammering it.
                await Task.Delay(50, CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static HttpClient NewClient()
    {
        var handler = new SocketsHttpHandler
        {
            // The certificate is made for this run by a test CA; only loopback is ever contacted.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }
}
