namespace Hyper.Packaging.Tests;

internal static class Repository
{
    public static string Root
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Hyper.sln"))) return directory.FullName;
            }
            throw new InvalidOperationException("Hyper.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string HelloApp => $"{Path.Combine(Root, "samples", "Hello", "bin", Configuration, "net10.0", "Hello.dll")}:Hello.HelloApp";
}
