using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Hyper.EndToEnd.Tests.Workers;

/// <summary>
/// A fake systemd: the test binds the datagram socket a <c>Type=notify</c> unit would get, names it in
/// <c>NOTIFY_SOCKET</c> and reads what the real <c>hyper</c> process tells it: READY=1 (with MAINPID) once it serves,
/// RELOADING=1 with a CLOCK_MONOTONIC time and READY=1 again around a SIGHUP reload, STOPPING=1 on SIGTERM.
/// </summary>
public sealed partial class SystemdNotifyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task NotifySocket_ReadyThenStopping_AndReloadingAroundSighupWithWorkers(string workers)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hyper-notify-{Guid.NewGuid():N}.sock");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            using var hyper = HyperProcess.Start(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path },
                HyperProcess.HelloApp, "--bind", "127.0.0.1:0", "--workers", workers);

            var ready = await ReceiveAsync(systemd);
            ready.Should().Contain("READY=1").And.Contain($"MAINPID={hyper.ProcessId}");
            var port = await hyper.WaitForPortAsync(Timeout);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            (await client.GetStringAsync($"http://127.0.0.1:{port}/")).Should().Be("Hello, World!", "READY=1 comes once it serves");

            if (workers != "1")
            {
                var before = MonotonicMicroseconds();
                hyper.SendSignal("HUP");
                var reloading = await ReceiveAsync(systemd);
                var after = MonotonicMicroseconds();
                reloading.Should().Contain("RELOADING=1");
                var stamp = long.Parse(MonotonicStamp().Match(reloading).Groups[1].Value, CultureInfo.InvariantCulture);
                stamp.Should().BeInRange(before, after, "MONOTONIC_USEC is CLOCK_MONOTONIC at the reload");
                (await ReceiveAsync(systemd)).Should().Contain("READY=1", "the reload is complete");
            }

            hyper.SendSigterm();
            (await ReceiveAsync(systemd)).Should().Contain("STOPPING=1");
            (await hyper.WaitForExitAsync(Timeout)).Should().Be(0, "stderr: {0}", hyper.Stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(Timeout);
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
        return Encoding.UTF8.GetString(buffer, 0, received);
    }

    // Stopwatch reads CLOCK_MONOTONIC on Linux, the clock systemd compares MONOTONIC_USEC with.
    private static long MonotonicMicroseconds() => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));

    [GeneratedRegex(@"MONOTONIC_USEC=(\d+)")]
    private static partial Regex MonotonicStamp();
}
