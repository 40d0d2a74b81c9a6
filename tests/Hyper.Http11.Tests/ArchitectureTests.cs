using System.Diagnostics;
using Hyper.Tests.Shared;

namespace Hyper.Http11.Tests;

/// <summary>docs/architecture.md, Layers: the Http11 assembly is sans-IO (see <see cref="ProtocolAssemblyScanner"/>).</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void Http11Assembly_ReferencesNoClockThreadLockTaskOrSocket()
    {
        var violations = ProtocolAssemblyScanner.FindViolations(typeof(Http11Connection).Assembly.Location);

        violations.Should().BeEmpty();
    }

    [Fact]
    public void Scanner_AssemblyUsingClockAndStopwatch_ReportsThem()
    {
        // This test assembly uses the forbidden APIs (below), so the scanner must report them: it can fail.
        var violations = ProtocolAssemblyScanner.FindViolations(typeof(ArchitectureTests).Assembly.Location);

        violations.Should().Contain("System.DateTime.get_UtcNow").And.Contain("System.Diagnostics.Stopwatch")
            .And.Contain(v => v.StartsWith("System.Net.Sockets.", StringComparison.Ordinal));
    }

    internal static object ForbiddenSample() => (DateTime.UtcNow, Stopwatch.StartNew(), typeof(System.Net.Sockets.Socket));
}
