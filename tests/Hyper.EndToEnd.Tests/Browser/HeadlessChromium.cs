using System.Diagnostics;

namespace Hyper.EndToEnd.Tests.Browser;

/// <summary>
/// Runs headless chromium once against a URL and returns the DOM it ends with (<c>--dump-dom</c>: serialised after the
/// load event, so scripts in the page have run). Each run gets its own profile and HOME in a temp directory, deleted
/// afterwards, so nothing it trusts or caches outlives the run; chromium and the processes it spawned are killed if
/// the run overruns its bound.
/// </summary>
public static class HeadlessChromium
{
    public const string Executable = "chromium";

    public static readonly TimeSpan RunBound = TimeSpan.FromSeconds(20);

    public sealed record Result(int ExitCode, string Dom, string Stderr);

    /// <summary>
    /// Loads <paramref name="url"/>, trusting exactly the keys whose SPKI SHA-256 (base64) are given, for this run only.
    /// Chromium honours <c>--ignore-certificate-errors-spki-list</c> only together with <c>--user-data-dir</c>.
    /// </summary>
    public static async Task<Result> DumpDomAsync(Uri url, IReadOnlyList<string> trustedSpkiHashes)
    {
        var path = FindOnPath(Executable) ?? throw new InvalidOperationException(
            $"'{Executable}' is not on PATH: the browser test needs it (apt-get install -y chromium; .ci/run installs it).");
        var profile = Directory.CreateTempSubdirectory("hyper-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                // Closed at once: chromium must not read the terminal of the test run (a background process group
                // that does is stopped by SIGTTIN).
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            // Chromium writes its NSS database under $HOME/.pki: keep that in the temp directory too.
            start.Environment["HOME"] = profile;
            foreach (var argument in Arguments(url, profile, trustedSpkiHashes)) start.ArgumentList.Add(argument);
            return await RunAsync(start);
        }
        finally
        {
            DeleteProfile(profile);
        }
    }

    private static IEnumerable<string> Arguments(Uri url, string profile, IReadOnlyList<string> trustedSpkiHashes)
    {
        yield return "--headless=new";
        yield return "--no-sandbox"; // the tests may run as root, where chromium's sandbox refuses to start
        yield return "--disable-gpu";
        yield return "--no-first-run";
        yield return "--no-default-browser-check";
        yield return "--disable-extensions";
        yield return "--disable-background-networking";
        yield return "--disable-component-update";
        yield return "--disable-sync";
        // Keep http://127.0.0.1 on HTTP: no automatic upgrade of the cleartext case to HTTPS.
        yield return "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable";
        yield return $"--user-data-dir={profile}";
        if (trustedSpkiHashes.Count > 0) yield return $"--ignore-certificate-errors-spki-list={string.Join(',', trustedSpkiHashes)}";
        yield return "--dump-dom";
        yield return url.AbsoluteUri;
    }

    private static async Task<Result> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        try
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                await process.WaitForExitAsync().WaitAsync(RunBound);
            }
            catch (TimeoutException)
            {
                KillTree(process);
                throw new TimeoutException($"chromium did not finish within {RunBound.TotalSeconds:0} s; stderr so far ends: " +
                    Tail(await stderr.WaitAsync(TimeSpan.FromSeconds(5))));
            }
            return new Result(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            KillTree(process);
        }
    }

    // Chromium is a tree (browser, zygote, renderer, utility processes): end the whole tree of the one started here.
    internal static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    // Chromium's helpers can still be closing files in the profile for a moment after the browser exits.
    internal static void DeleteProfile(string profile)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            try
            {
                Directory.Delete(profile, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 9)
            {
                Thread.Sleep(100);
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
        }
    }

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    public static string Tail(string text, int length = 2000) => text.Length <= length ? text : text[^length..];
}
