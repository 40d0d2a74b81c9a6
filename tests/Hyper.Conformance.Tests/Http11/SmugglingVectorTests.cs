using System.Net;
using Hyper.Conformance.Http11;
using EndToEndBackends = Hyper.EndToEnd.Tests.Backends;

namespace Hyper.Conformance.Tests.Http11;

/// <summary>
/// Replays the whole HTTP/1.1 corpus against a real Hyper server on every backend: a rejected vector gets exactly
/// its status and then a close; an accepted one is echoed request for request, and the probe that follows it is
/// answered last, so a smuggled request or a mis-framed body cannot pass unnoticed.
/// </summary>
public sealed class SmugglingVectorTests(EchoServers servers) : IClassFixture<EchoServers>
{
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var backend in EndToEndBackends.All)
        {
            foreach (var vector in SmugglingVectors.All) cases.Add(backend, vector.Name);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Vector_OnHyper_MatchesVerdict(string backend, string name)
    {
        var vector = SmugglingVectors.Named(name);
        var server = await servers.ForBackendAsync(backend);
        var runner = new VectorRunner(new IPEndPoint(IPAddress.Loopback, server.Port)) { Timeout = TimeSpan.FromSeconds(5) };

        var outcome = await runner.RunAsync(vector);

        outcome.Explain(vector.Expected).Should().BeNull("{0} ({1}) must be: {2}", vector.Name, vector.Source, vector.Expected);
    }
}
