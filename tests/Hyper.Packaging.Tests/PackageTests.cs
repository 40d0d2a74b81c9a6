using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Hyper.Packaging.Tests;

/// <summary>
/// What `dotnet pack` gives (docs/packaging.md): a library package with its description, licence, readme and
/// symbol package, and the `hyper` dotnet tool, installed from a local folder as the README says and serving the
/// Hello sample.
/// </summary>
public sealed partial class PackageTests(PackedProducts packed) : IClassFixture<PackedProducts>
{
    [Fact]
    public void LibraryPackage_CarriesDescriptionLicenseReadmeRepositoryAndSymbols()
    {
        var nupkg = Directory.GetFiles(packed.Packages, "Hyper.Http11.*.nupkg").Should().ContainSingle().Subject;
        Directory.GetFiles(packed.Packages, "Hyper.Http11.*.snupkg").Should().ContainSingle("symbols ship as a .snupkg beside the package");

        using var package = ZipFile.OpenRead(nupkg);
        package.Entries.Select(e => e.FullName).Should().Contain(["README.md", "lib/net10.0/Hyper.Http11.dll"]);
        var nuspec = XDocument.Load(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Field("id").Should().Be("Hyper.Http11");
        Field("description").Should().StartWith("Hyper: HTTP/1.1");
        Field("license").Should().Be("MIT");
        Field("readme").Should().Be("README.md");
        metadata.Elements().Should().Contain(e => e.Name.LocalName == "repository", "the package records the commit it was built from");
        // A package reference to Hyper.Core, not a copy of it: an integrator can take Hyper.Core and Hyper.Http11 alone.
        metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).Should().Contain("Hyper.Core");

        using var symbols = ZipFile.OpenRead(Directory.GetFiles(packed.Packages, "Hyper.Http11.*.snupkg").Single());
        symbols.Entries.Select(e => e.FullName).Should().Contain("lib/net10.0/Hyper.Http11.pdb");
    }

    [Fact]
    public async Task HyperTool_InstalledFromTheFolder_PrintsItsVersionAndServesTheSample()
    {
        var nupkg = Path.GetFileName(Directory.GetFiles(packed.Packages, "hyper.*.nupkg").Should().ContainSingle().Subject);
        var version = nupkg["hyper.".Length..^".nupkg".Length];
        var tools = Path.Combine(packed.Folder, "tools");
        // Only the local folder as a source: the test must not pick up a package of the same name from elsewhere.
        var config = Path.Combine(packed.Folder, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><clear /><add key="local" value="{packed.Packages}" /></packageSources>
            </configuration>
            """);

        await DotnetCommand.RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", packed.Packages, "hyper", "--version", version], TimeSpan.FromMinutes(3));
        var hyper = Path.Combine(tools, "hyper");

        var printed = await DotnetCommand.RunAsync(hyper, ["--version"], TimeSpan.FromMinutes(1));
        printed.Should().StartWith($"Hyper {version}");

        await ServeAndFetchAsync(hyper);
    }

    private static async Task ServeAndFetchAsync(string hyper)
    {
        var start = new ProcessStartInfo(hyper) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { Repository.HelloApp, "--bind", "127.0.0.1:0" }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null && RunningOn().Match(e.Data) is { Success: true } m) port.TrySetResult(int.Parse(m.Groups[1].Value));
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var listening = await port.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var response = await client.GetAsync($"http://127.0.0.1:{listening}/");
            response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
            (await response.Content.ReadAsStringAsync()).Should().Contain("Hello");
            response.Headers.Server.ToString().Should().Contain("hyper");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [GeneratedRegex(@"Running on https?://127\.0\.0\.1:(\d+)")]
    private static partial Regex RunningOn();
}
