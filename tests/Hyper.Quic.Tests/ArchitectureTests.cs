using System.Diagnostics;
using Hyper.Quic.Packets;
using Hyper.Tests.Shared;

namespace Hyper.Quic.Tests;

/// <summary>docs/architecture.md, Layers: the Quic assembly is sans-IO (see <see cref="ProtocolAssemblyScanner"/>).</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void QuicAssembly_ReferencesNoClockThreadLockTaskOrSocket()
    {
        var violations = ProtocolAssemblyScanner.FindViolations(typeof(VariableLengthInteger).Assembly.Location);

        violations.Should().BeEmpty();
    }

    [Fact]
    public void Scanner_AssemblyUsingClockThreadAndTask_ReportsThem()
    {
        // This test assembly uses forbidden APIs (below), so the scanner must report them: the first test can fail.
        var violations = ProtocolAssemblyScanner.FindViolations(typeof(ArchitectureTests).Assembly.Location);

        violations.Should().Contain("System.DateTime.get_UtcNow").And.Contain("System.Diagnostics.Stopwatch")
            .And.Contain("System.Threading.Tasks.Task.Run");
    }

    [Fact]
    public void QuicAssembly_ReferencesOnlyHyperCoreAmongHyperAssemblies()
    {
        var references = typeof(VariableLengthInteger).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!).Where(n => n.StartsWith("Hyper", StringComparison.Ordinal));

        references.Should().BeSubsetOf(["Hyper.Core"]);
    }

    internal static object ForbiddenSample() => (DateTime.UtcNow, Stopwatch.StartNew(), Task.Run(() => { }));
}
