using System.Text.RegularExpressions;
using Hyper.Cli.Tests.SampleApps;
using Hyper.Core.Configuration;

namespace Hyper.Cli.Tests;

public class ServerCompositionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Serve_UnknownWorkerClass_IsOneLineListingBackends()
    {
        var error = new StringWriter();
        var options = new HyperOptions { WorkerClass = "gevent", ErrorLog = null };

        var exitCode = await new ServerComposition(error).ServeAsync(options, HelloApp.App, CancellationToken.None);

        exitCode.Should().Be(2);
        var text = error.ToString();
        text.Should().StartWith("hyper: error: worker_class: unknown backend 'gevent'; available: ");
        text.Should().Contain("thread-pool").And.Contain("structured");
        text.TrimEnd('\n').Should().NotContain("\n", "a user error is one line");
    }

    [Fact]
    public async Task Serve_UnopenableErrorLog_IsOneLineNamingKey()
    {
        var error = new StringWriter();
        var options = new HyperOptions { ErrorLog = "/nonexistent/dir/error.log" };

        var exitCode = await new ServerComposition(error).ServeAsync(options, HelloApp.App, CancellationToken.None);

        exitCode.Should().Be(2);
        error.ToString().Should().StartWith("hyper: error: errorlog: cannot open '/nonexistent/dir/error.log'");
    }

    [Fact]
    public async Task Serve_PortZero_LogsRealPortServesAndStopsOnCancel()
    {
        using var directory = new TemporaryDirectory();
        var errorLog = Path.Combine(directory.Path, "error.log");
        var options = new HyperOptions
        {
            Bind = [new BindAddress(BindKind.Tcp, "127.0.0.1", 0)],
            ErrorLog = errorLog,
            GracefulTimeout = TimeSpan.FromSeconds(1),
        };
        using var shutdown = new CancellationTokenSource(Bound);

        var serving = new ServerComposition(TextWriter.Null).ServeAsync(options, HelloApp.App, shutdown.Token);
        var port = await RunningOnPort(errorLog, serving);
        using (var client = new HttpClient { Timeout = Bound })
            (await client.GetStringAsync($"http://127.0.0.1:{port}/")).Should().Be("hello");
        await shutdown.CancelAsync();

        (await serving.WaitAsync(Bound)).Should().Be(0);
    }

    // Reads the port from Hypercorn's start-up line, as a user (or a supervisor) would.
    private static async Task<int> RunningOnPort(string errorLog, Task serving)
    {
        using var deadline = new CancellationTokenSource(Bound);
        while (!deadline.IsCancellationRequested && !serving.IsCompleted)
        {
            if (File.Exists(errorLog))
            {
                using var stream = new FileStream(errorLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var text = await new StreamReader(stream).ReadToEndAsync();
                var match = Regex.Match(text, @"Running on http://127\.0\.0\.1:(\d+) \(CTRL \+ C to quit\)");
                if (match.Success) return int.Parse(match.Groups[1].Value);
            }
            await Task.Delay(20);
        }
        await serving;
        throw new TimeoutException("the server never logged 'Running on'");
    }
}
