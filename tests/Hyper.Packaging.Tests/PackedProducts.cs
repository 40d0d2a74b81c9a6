namespace Hyper.Packaging.Tests;

/// <summary>
/// Packs the `hyper` tool and one library package once for the class, into a temporary folder and with its own
/// artifacts path, so the repository's bin/ and obj/ (which other test projects run from) are not touched.
/// </summary>
public sealed class PackedProducts : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

    public string Folder { get; } = Directory.CreateTempSubdirectory("hyper-pack-").FullName;

    public string Packages => Path.Combine(Folder, "packages");

    public async Task InitializeAsync()
    {
        var artifacts = Path.Combine(Folder, "artifacts");
        foreach (var project in new[] { "Hyper.Cli/Hyper.Cli.csproj", "Hyper.Http11/Hyper.Http11.csproj" })
        {
            await DotnetCommand.RunAsync("dotnet", ["pack", project, "-c", "Release", "-o", Packages, "--artifacts-path", artifacts, "-nologo"], PackTimeout);
        }
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { /* a temporary folder left behind is harmless */ }
        return Task.CompletedTask;
    }
}
