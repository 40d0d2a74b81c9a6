using System.Reflection;
using System.Runtime.Loader;

namespace Hyper.Cli;

/// <summary>
/// The load context of one application assembly. The app's own dependencies resolve through its
/// <c>.deps.json</c> (<see cref="AssemblyDependencyResolver"/>), so it can carry libraries the server does not;
/// the assemblies the server itself ships (Hyper.Core above all) resolve to the server's copies, because an
/// <c>AsgiApplication</c> from a second copy of Hyper.Core would be a different type and could not be called.
/// </summary>
internal sealed class AppLoadContext(string mainAssemblyPath)
    : AssemblyLoadContext($"hyper-app:{Path.GetFileName(mainAssemblyPath)}", isCollectible: false)
{
    private readonly AssemblyDependencyResolver resolver = new(mainAssemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Returning null defers to the default context, which already holds the shared copy.
        if (IsSharedWithServer(assemblyName)) return null;
        var path = resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    // The server's own dependency list (its deps.json, as the host resolved it). Any assembly in it is shared, so
    // there is one copy of each type the server and the app both see; the app's copies serve only what the server lacks.
    private static readonly HashSet<string> ServerAssemblies = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(Path.GetFileNameWithoutExtension)
        .OfType<string>()
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static bool IsSharedWithServer(AssemblyName name) =>
        name.Name is { } simple
        && (ServerAssemblies.Contains(simple) || Default.Assemblies.Any(a => a.GetName().Name == simple));
}
