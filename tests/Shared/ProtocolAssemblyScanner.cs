using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Hyper.Tests.Shared;

/// <summary>
/// DESIGN §2.2: a protocol is sans-IO. Its assembly may not reference a clock, a thread, a lock, a task or a
/// socket; time comes in as <c>now</c> and work only through the driver. This scanner reads an assembly's type
/// and member references (metadata only, nothing is loaded) and lists the forbidden ones. Linked into every
/// protocol test project, so each assembly is held to the same list.
/// </summary>
internal static class ProtocolAssemblyScanner
{
    private static readonly string[] ForbiddenTypes =
    [
        "System.Diagnostics.Stopwatch", "System.Threading.Timer", "System.Threading.Monitor", "System.Threading.Lock",
        "System.Threading.Thread", "System.Threading.ThreadPool", "System.Threading.Tasks.Task", "System.Threading.Tasks.Task`1",
        "System.Threading.Tasks.ValueTask", "System.Threading.Tasks.ValueTask`1", "System.TimeProvider",
        "System.Runtime.CompilerServices.AsyncTaskMethodBuilder", "System.Runtime.CompilerServices.AsyncValueTaskMethodBuilder",
        "System.Runtime.CompilerServices.AsyncVoidMethodBuilder",
    ];

    private static readonly string[] ForbiddenMembers =
    [
        "System.Threading.Tasks.Task.Run", "System.DateTime.get_Now", "System.DateTime.get_UtcNow",
        "System.DateTimeOffset.get_Now", "System.DateTimeOffset.get_UtcNow", "System.Environment.get_TickCount",
        "System.Environment.get_TickCount64",
    ];

    /// <summary>The forbidden type and member names the assembly at <paramref name="assemblyPath"/> references.</summary>
    public static List<string> FindViolations(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var violations = new List<string>();

        foreach (var handle in reader.TypeReferences)
        {
            var name = TypeName(reader, handle);
            if (ForbiddenTypes.Contains(name) || name.StartsWith("System.Net.Sockets.", StringComparison.Ordinal)) violations.Add(name);
        }

        foreach (var handle in reader.MemberReferences)
        {
            var member = reader.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference) continue;
            var name = $"{TypeName(reader, (TypeReferenceHandle)member.Parent)}.{reader.GetString(member.Name)}";
            if (ForbiddenMembers.Contains(name)) violations.Add(name);
        }
        return violations;
    }

    private static string TypeName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        var name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            return $"{TypeName(reader, (TypeReferenceHandle)type.ResolutionScope)}+{name}";
        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : $"{ns}.{name}";
    }
}
