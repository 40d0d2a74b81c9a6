using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Hyper.Http11.Tests;

/// <summary>
/// DESIGN §2.2: a protocol is sans-IO. Its assembly may not reference a clock, a thread, a lock, a task or a
/// socket; time comes in as <c>now</c> and work only through the driver. Scans type and member references.
/// </summary>
public sealed class ArchitectureTests
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

    [Fact]
    public void Http11Assembly_ReferencesNoClockThreadLockTaskOrSocket()
    {
        var violations = FindViolations(typeof(Http11Connection).Assembly.Location);

        violations.Should().BeEmpty();
    }

    [Fact]
    public void Scanner_AssemblyUsingClockAndStopwatch_ReportsThem()
    {
        // This test assembly uses the forbidden APIs (below), so the scanner must report them: it can fail.
        var violations = FindViolations(typeof(ArchitectureTests).Assembly.Location);

        violations.Should().Contain("System.DateTime.get_UtcNow").And.Contain("System.Diagnostics.Stopwatch")
            .And.Contain(v => v.StartsWith("System.Net.Sockets.", StringComparison.Ordinal));
    }

    internal static object ForbiddenSample() => (DateTime.UtcNow, Stopwatch.StartNew(), typeof(System.Net.Sockets.Socket));

    private static List<string> FindViolations(string assemblyPath)
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
