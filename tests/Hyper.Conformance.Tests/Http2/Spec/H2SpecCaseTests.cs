using System.Net;
using Hyper.Conformance.Http2.Spec;
using EndToEndBackends = Hyper.EndToEnd.Tests.Backends;

namespace Hyper.Conformance.Tests.Http2.Spec;

/// <summary>
/// Plays every h2spec-style case against a real Hyper server on every backend, over h2c with prior knowledge. A
/// case passes only with the outcome its RFC section requires; the verdict names what was expected and lists every
/// frame the server sent.
/// </summary>
public sealed class H2SpecCaseTests(H2SpecServers servers) : IClassFixture<H2SpecServers>
{
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var backend in EndToEndBackends.All)
        {
            foreach (var @case in H2SpecCases.All) cases.Add(backend, @case.Id);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("rfc", "9113")]
    public async Task Case_OnHyper_MeetsExpectation(string backend, string id)
    {
        var @case = H2SpecCases.Named(id);
        var server = await servers.ForBackendAsync(backend);
        var runner = new H2SpecStyleRunner(new IPEndPoint(IPAddress.Loopback, server.Port));

        var verdict = await runner.RunAsync(@case).WaitAsync(TimeSpan.FromSeconds(30));

        verdict.Explain().Should().BeNull();
    }
}
