using System.Diagnostics;
using System.Globalization;

namespace Hyper.Transport.Quic.Tests;

/// <summary>
/// Runs Debian's ngtcp2 example client (<c>gtlsclient</c>, package ngtcp2-client) with a bounded lifetime. It exits 0
/// even when it fails, so tests judge by its log lines.
/// </summary>
internal static class Gtlsclient
{
    public const string Path = "/usr/bin/gtlsclient";

    public static async Task<string> RunAsync(int port, IEnumerable<string> extraArguments, string path = "/", TimeSpan? limit = null)
    {
        File.Exists(Path).Should().BeTrue("the interop peer is Debian's ngtcp2-client package (apt-get install ngtcp2-client)");
        var portText = port.ToString(CultureInfo.InvariantCulture);
        string[] arguments = ["--exit-on-all-streams-close", "--timeout=15s", "--handshake-timeout=15s", .. extraArguments, "127.0.0.1", portText, $"https://127.0.0.1:{portText}{path}"];
        using var process = Process.Start(new ProcessStartInfo(Path, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"gtlsclient did not exit in time: {await stderr}");
        }
        return await stdout + await stderr;
    }
}
