using System.Net;
using Hyper.Conformance.Http2.Spec;
using EndToEndBackends = Hyper.EndToEnd.Tests.Backends;

namespace Hyper.Conformance.Tests.Http2.Spec;

/// <summary>
/// The h2spec cases that failed about one run in six against an application answering before it read the body, made
/// deterministic: over a real socket, on every backend, the client waits for the complete response before it makes
/// its error, so the stream is half-closed (local) every time (<see cref="H2SpecCases.AfterCompleteResponse"/>).
/// </summary>
public sealed class HalfClosedLocalCaseTests(AnswerBeforeReadingServers servers) : IClassFixture<AnswerBeforeReadingServers>
{
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var backend in EndToEndBackends.All)
        {
            foreach (var @case in H2SpecCases.AfterCompleteResponse()) cases.Add(backend, @case.Id);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("rfc", "9113")]
    public async Task Case_AfterCompleteResponse_ErrorStillAnswered(string backend, string id)
    {
        var @case = H2SpecCases.AfterCompleteResponse().Single(c => c.Id == id);
        var server = await servers.ForBackendAsync(backend);
        var runner = new H2SpecStyleRunner(new IPEndPoint(IPAddress.Loopback, server.Port));

        var verdict = await runner.RunAsync(@case).WaitAsync(TimeSpan.FromSeconds(30));

        verdict.Explain().Should().BeNull();
    }

    [Fact]
    public void Cases_WaitForTheResponseBeforeTheError()
    {
        H2SpecCases.AfterCompleteResponse().Select(c => c.Id).Should().Equal(
            "half-closed-local/http2/5.1/8", "half-closed-local/http2/6.9.1/3", "half-closed-local/http2/8.1.2.1/3", "half-closed-local/http2/8.1.2.6/1");
        H2SpecCases.AfterCompleteResponse().Should().OnlyContain(c => c.Steps[1] is H2SpecStep.AwaitFrame);
    }
}

/// <summary>Hyper on every backend running the application that answers before it reads the request body.</summary>
public sealed class AnswerBeforeReadingServers() : SharedServers(H2SpecApplication.AnswerBeforeReadingAsync);
