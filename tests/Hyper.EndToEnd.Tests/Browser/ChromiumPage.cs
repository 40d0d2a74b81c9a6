using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Hyper.EndToEnd.Tests.Browser;

/// <summary>
/// One headless chromium showing one page that keeps running, for pages that work after their load event (a
/// WebSocket chat): the test reads the page's state through the DevTools protocol (<c>Runtime.evaluate</c> over the
/// page target's debugging WebSocket) instead of a one-shot <c>--dump-dom</c>. Its own profile and HOME in a temp
/// directory, trusting only the given keys; the whole process tree is killed on dispose.
/// </summary>
public sealed partial class ChromiumPage : IAsyncDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly string _profile;
    private readonly StringBuilder _stderr = new();
    private ClientWebSocket? _devTools;
    private int _nextId;

    private ChromiumPage(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public static async Task<ChromiumPage> OpenAsync(Uri url, IReadOnlyList<string> trustedSpkiHashes)
    {
        var path = HeadlessChromium.FindOnPath(HeadlessChromium.Executable) ?? throw new InvalidOperationException(
            $"'{HeadlessChromium.Executable}' is not on PATH: the browser test needs it (apt-get install -y chromium; .ci/run installs it).");
        var profile = Directory.CreateTempSubdirectory("hyper-chromium-").FullName;
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // closed at once: chromium must not read the test run's terminal
            UseShellExecute = false,
        };
        start.Environment["HOME"] = profile;
        foreach (var argument in new[]
                 {
                     "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable", $"--user-data-dir={profile}",
                     // Port 0: chromium picks one and prints it ("DevTools listening on ws://127.0.0.1:PORT/...").
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                 })
        {
            start.ArgumentList.Add(argument);
        }
        if (trustedSpkiHashes.Count > 0) start.ArgumentList.Add($"--ignore-certificate-errors-spki-list={string.Join(',', trustedSpkiHashes)}");
        start.ArgumentList.Add(url.AbsoluteUri);

        var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        var page = new ChromiumPage(process, profile);
        try
        {
            process.StandardInput.Close();
            var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.ErrorDataReceived += (_, line) =>
            {
                if (line.Data is null) return;
                lock (page._stderr) page._stderr.AppendLine(line.Data);
                if (DevToolsLine().Match(line.Data) is { Success: true } match) listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            };
            process.BeginErrorReadLine();
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            var port = await listening.Task.WaitAsync(StartBound);
            await page.AttachAsync(port, url);
            return page;
        }
        catch
        {
            await page.DisposeAsync();
            throw;
        }
    }

    /// <summary>The page's value of a JavaScript expression, as a string (null when it is null or undefined).</summary>
    public async Task<string?> EvaluateAsync(string expression)
    {
        var id = ++_nextId;
        var request = JsonSerializer.SerializeToUtf8Bytes(new { id, method = "Runtime.evaluate", @params = new { expression, returnByValue = true } });
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _devTools!.SendAsync(request, WebSocketMessageType.Text, true, bound.Token);
        while (true)
        {
            using var reply = JsonDocument.Parse(await ReceiveAsync(bound.Token));
            if (!reply.RootElement.TryGetProperty("id", out var replyId) || replyId.GetInt32() != id) continue; // an event
            var value = reply.RootElement.GetProperty("result").GetProperty("result");
            return value.TryGetProperty("value", out var text) && text.ValueKind != JsonValueKind.Null ? text.ToString() : null;
        }
    }

    /// <summary>Evaluates <paramref name="expression"/> every 100 ms until <paramref name="done"/> holds for it or the bound passes; returns the last value.</summary>
    public async Task<string?> WaitForAsync(string expression, Func<string?, bool> done, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        string? value;
        while (!done(value = await EvaluateAsync(expression)) && clock.Elapsed < bound) await Task.Delay(100);
        return value;
    }

    /// <summary>Finds the page target for <paramref name="url"/> and opens its debugging WebSocket.</summary>
    private async Task AttachAsync(int port, Uri url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var targets = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"));
            var page = targets.RootElement.EnumerateArray().FirstOrDefault(t => t.GetProperty("type").GetString() == "page");
            if (page.ValueKind == JsonValueKind.Object && page.TryGetProperty("webSocketDebuggerUrl", out var debugger))
            {
                _devTools = new ClientWebSocket();
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _devTools.ConnectAsync(new Uri(debugger.GetString()!), bound.Token);
                return;
            }
            if (clock.Elapsed > StartBound) throw new TimeoutException($"chromium showed no page for {url}");
            await Task.Delay(100);
        }
    }

    private async Task<byte[]> ReceiveAsync(CancellationToken cancellationToken)
    {
        var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _devTools!.ReceiveAsync(buffer.AsMemory(), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) throw new IOException("chromium closed the DevTools connection");
            message.Write(buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        return message.ToArray();
    }

    [GeneratedRegex(@"DevTools listening on ws://[^:]+:(\d+)/")]
    private static partial Regex DevToolsLine();

    public ValueTask DisposeAsync()
    {
        _devTools?.Dispose();
        HeadlessChromium.KillTree(_process);
        _process.Dispose();
        HeadlessChromium.DeleteProfile(_profile);
        return ValueTask.CompletedTask;
    }
}
