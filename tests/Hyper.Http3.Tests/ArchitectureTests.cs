using System.Diagnostics;
using Hyper.Http3.Qpack;
using Hyper.Tests.Shared;

namespace Hyper.Http3.Tests;

/// <summary>docs/architecture.md, Layers: the Http3 assembly is sans-IO (see <see cref="ProtocolAssemblyScanner"/>).</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void Http3Assembly_ReferencesNoClockThreadLockTaskOrSocket()
    {
        var violations = ProtocolAssemblyScanner.FindViolations(typeof(QpackDecoder).Assembly.Location);

        violations.Should().BeEmpty();
    }

    [Fact]
    public void Http3Assembly_ReferencesNoOtherProtocolAssembly()
    {
        // HTTP/3 meets QUIC through an abstract set of streams (docs/http3.md), not through Hyper.Quic's types.
        var references = typeof(QpackDecoder).Assembly.GetReferencedAssemblies().Select(a => a.Name);

        references.Should().NotContain(["Hyper.Quic", "Hyper.Http2", "Hyper.Http11"]);
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
