using System.Text;

namespace Hyper.Conformance.Http11;

/// <summary>
/// One HTTP/1.1 conformance case: the exact bytes a client sends on a fresh connection, the rule the case
/// exercises, and the verdict a strict server must reach (docs/security.md B2.2).
/// </summary>
/// <param name="Name">Stable identifier, used as the test-case name (e.g. <c>CL.TE both present</c>).</param>
/// <param name="Source">The rule or report the case comes from, e.g. <c>RFC 9112 §6.3</c>, <c>CVE-2025-55315</c>.</param>
/// <param name="Request">The bytes sent, unmodified: they may hold several pipelined requests or none that is valid.</param>
/// <param name="Expected">What the server must do with them.</param>
public sealed record Http11Vector(string Name, string Source, byte[] Request, Http11Verdict Expected)
{
    /// <summary>Builds a vector from Latin-1 text, so every byte 0x00–0xFF can be written as a C# escape.</summary>
    public static Http11Vector Of(string name, string source, string request, Http11Verdict expected) =>
        new(name, source, Encoding.Latin1.GetBytes(request), expected);

    /// <summary>The name, so test runners list vectors readably.</summary>
    public override string ToString() => Name;
}
