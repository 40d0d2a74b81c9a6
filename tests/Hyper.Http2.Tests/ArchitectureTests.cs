using System.Diagnostics;
using Hyper.Tests.Shared;

namespace Hyper.Http2.Tests;

/// <summary>docs/architecture.md, Layers: the Http2 assembly is sans-IO (see <see cref="ProtocolAssemblyScanner"/>).</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void Http2Assembly_ReferencesNoClockThreadLockTaskOrSocket()
    {
        var violations = ProtocolAssemblyScanner.FindViolations(typeof(Http2Connection).Assembly.Location);

        violations.Should().BeEmpty();
    }

    [Fact]
    public void Http2Assembly_UsesNothingFromCoresConnectionDriver()
    {
        // docs/protocol-registry.md: HTTP/2 is a registered protocol; the driver's namespace is Core's own business.
        using var stream = File.OpenRead(typeof(Http2Connection).Assembly.Location);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        var reader = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);

        var namespaces = reader.TypeReferences.Select(h => reader.GetString(reader.GetTypeReference(h).Namespace)).Distinct();

        namespaces.Should().Contain("Hyper.Core.Protocols").And.NotContain(["Hyper.Core.Connections", "Hyper.Core.Hosting", "Hyper.Core.Streams"]);
    }

    [Fact]
    public void Scanner_AssemblyUsingClockThreadAndTask_ReportsThem()
    {
        // This test assembly uses forbidden APIs (below), so the scanner must report them: the first test can fail.
        var violations = ProtocolAssemblyScanner.FindViolations(typeof(ArchitectureTests).Assembly.Location);

        violations.Should().Contain("System.DateTime.get_UtcNow").And.Contain("System.Diagnostics.Stopwatch")
            .And.Contain("System.Threading.Tasks.Task.Run");
    }

    internal static object ForbiddenSample() => (DateTime.UtcNow, Stopwatch.StartNew(), Task.Run(() => { }));
}
