using System.Text;
using Hyper.Core.Configuration;

namespace Hyper.Fuzz.Targets;

/// <summary>
/// FZ-07: a bind string (<c>host:port</c>, <c>[v6]:port</c>, <c>unix:/path</c>, <c>fd://N</c>). Invariants: parsing
/// never throws; a refusal says why; an accepted bind prints as a string that parses back to the same bind.
/// </summary>
public sealed class BindAddressTarget : IFuzzTarget
{
    public string Name => "bind-address";

    public void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        if (!BindAddress.TryParse(text, out var bind, out var error))
        {
            if (string.IsNullOrWhiteSpace(error)) throw new FuzzInvariantException("a refused bind gives no reason");
            return;
        }
        var printed = bind.ToString();
        // A known ambiguity of Hypercorn's syntax, found by this target: the bind "unix" is TCP host "unix", port 8000,
        // and prints as "unix:8000", which reads back as a Unix socket. The syntax has no spelling for that TCP bind,
        // so such a print is not checked further.
        if (bind.Kind == BindKind.Tcp && (printed.StartsWith("unix:", StringComparison.Ordinal) || printed.StartsWith("fd://", StringComparison.Ordinal))) return;
        if (!BindAddress.TryParse(printed, out var again, out var againError) || again != bind)
            throw new FuzzInvariantException($"bind '{text}' prints as '{printed}', which parses {(again is null ? "not at all: " + againError : "as " + again)}");
    }
}
