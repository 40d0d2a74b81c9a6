using System.Diagnostics;
using Hyper.Core.WebSockets;
using Hyper.Tests.Shared;

namespace Hyper.Core.Tests.WebSockets;

/// <summary>
/// docs/architecture.md, Layers: the WebSocket protocol code is sans-IO like the protocol assemblies, though it lives in Hyper.Core
/// (HTTP/1.1, HTTP/2 and HTTP/3 all carry it). The scan is per namespace (see <see cref="ProtocolAssemblyScanner"/>).
/// </summary>
public sealed class WebSocketArchitectureTests
{
    [Fact]
    public void WebSocketsNamespace_ReferencesNoClockThreadLockTaskOrSocket()
    {
        var violations = ProtocolAssemblyScanner.FindViolationsInNamespace(typeof(WebSocketConnection).Assembly.Location, "Hyper.Core.WebSockets");

        violations.Should().BeEmpty();
    }

    [Fact]
    public void NamespaceScan_FindsWhatANamespaceUses_AndOnlyThat()
    {
        // The connection driver (same assembly, other namespace) awaits tasks: the scan sees it there...
        ProtocolAssemblyScanner.FindViolationsInNamespace(typeof(WebSocketConnection).Assembly.Location, "Hyper.Core.Connections")
            .Should().Contain(v => v.StartsWith("System.Threading.Tasks.", StringComparison.Ordinal));

        // ...and in this test assembly's sample below, every kind of reference is found: a static property call,
        // a type in a field, a lock, Task.Run from a lambda's closure, and an async state machine.
        var violations = ProtocolAssemblyScanner.FindViolationsInNamespace(typeof(ForbiddenSample.Sample).Assembly.Location,
            "Hyper.Core.Tests.WebSockets.ForbiddenSample");

        violations.Should().Contain("System.DateTime.get_UtcNow").And.Contain("System.Diagnostics.Stopwatch")
            .And.Contain("System.Threading.Monitor").And.Contain("System.Threading.Tasks.Task.Run")
            .And.Contain("System.Runtime.CompilerServices.AsyncTaskMethodBuilder");
        ProtocolAssemblyScanner.FindViolationsInNamespace(typeof(ForbiddenSample.Sample).Assembly.Location, "Hyper.Core.Tests.WebSockets.Clean")
            .Should().BeEmpty("a namespace with none of it has no violations");
    }
}
