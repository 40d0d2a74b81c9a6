using Hyper.Conformance.Http11;

namespace Hyper.Conformance.Tests.Http11;

/// <summary>The runner against scripted peers: response framing, interim responses, the probe, deadlines.</summary>
public sealed class VectorRunnerTests
{
    private static readonly Http11Vector GetA = Http11Vector.Of("get a", "RFC 9112 §3", "GET /a HTTP/1.1\r\nHost: h\r\n\r\n",
        Http11Verdict.Accept(new EchoedRequest("GET", "/a", "")));

    private static string EchoResponse(string echo, bool chunked) => chunked
        ? $"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n{EchoApplication.HeaderNamesField}: host\r\n\r\n{echo.Length:x}\r\n{echo}\r\n0\r\n\r\n"
        : $"HTTP/1.1 200 OK\r\nContent-Length: {echo.Length}\r\n\r\n{echo}";

    [Fact]
    public async Task Run_ChunkedThenContentLengthEchoes_MatchesAcceptVerdict()
    {
        await using var server = new ScriptedServer(async stream =>
        {
            await ScriptedServer.ReadUntilAsync(stream, "Connection: close\r\n\r\n");
            await ScriptedServer.WriteAsync(stream, EchoResponse("GET /a 0 ", chunked: true) + EchoResponse("GET /__probe 0 ", chunked: false));
        });

        var outcome = await new VectorRunner(server.EndPoint).RunAsync(GetA);

        outcome.Responses.Select(r => r.Echo).Should().BeEquivalentTo([new EchoedRequest("GET", "/a", "", ["host"]), VectorRunner.ProbeEcho], o => o.WithStrictOrdering());
        outcome.Closed.Should().BeTrue();
        outcome.Explain(GetA.Expected).Should().BeNull();
    }

    [Fact]
    public async Task Run_SmuggledExtraResponse_ExplainsMismatch()
    {
        await using var server = new ScriptedServer(async stream =>
        {
            await ScriptedServer.ReadUntilAsync(stream, "Connection: close\r\n\r\n");
            await ScriptedServer.WriteAsync(stream, EchoResponse("GET /a 0 ", false) + EchoResponse("GET /smuggled 0 ", false) + EchoResponse("GET /__probe 0 ", false));
        });

        var outcome = await new VectorRunner(server.EndPoint).RunAsync(GetA);

        outcome.Responses.Should().HaveCount(3);
        outcome.Explain(GetA.Expected).Should().Contain("expected responses");
    }

    [Fact]
    public async Task Run_InterimContinue_KeptApartFromFinalResponses()
    {
        await using var server = new ScriptedServer(async stream =>
        {
            await ScriptedServer.ReadUntilAsync(stream, "Connection: close\r\n\r\n");
            await ScriptedServer.WriteAsync(stream, "HTTP/1.1 100 Continue\r\n\r\n" + EchoResponse("GET /a 0 ", false) + EchoResponse("GET /__probe 0 ", false));
        });

        var outcome = await new VectorRunner(server.EndPoint).RunAsync(GetA);

        outcome.InterimStatuses.Should().Equal(100);
        outcome.Explain(GetA.Expected).Should().BeNull();
    }

    [Fact]
    public async Task Run_RejectionWithoutClose_TimesOutAndFails()
    {
        var vector = Http11Vector.Of("bad", "RFC 9112 §2.2", "GET / HTTP/1.1\nHost: h\r\n\r\n", Http11Verdict.Rejected(400));
        var release = new TaskCompletionSource();
        await using var server = new ScriptedServer(async stream =>
        {
            await ScriptedServer.ReadUntilAsync(stream, "\r\n\r\n");
            await ScriptedServer.WriteAsync(stream, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            await release.Task;
        });

        var outcome = await new VectorRunner(server.EndPoint) { Timeout = TimeSpan.FromSeconds(1) }.RunAsync(vector);
        release.SetResult();

        outcome.Responses.Select(r => r.Status).Should().Equal(400);
        outcome.TimedOut.Should().BeTrue();
        outcome.Explain(vector.Expected).Should().Contain("not closed");
    }

    [Fact]
    public async Task Run_RejectionThenClose_MatchesRejectVerdict()
    {
        var vector = Http11Vector.Of("bad", "RFC 9112 §2.2", "GET / HTTP/1.1\nHost: h\r\n\r\n", Http11Verdict.Rejected(400));
        await using var server = new ScriptedServer(async stream =>
        {
            await ScriptedServer.ReadUntilAsync(stream, "\r\n\r\n");
            await ScriptedServer.WriteAsync(stream, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\nbad request");
        });

        var outcome = await new VectorRunner(server.EndPoint).RunAsync(vector);

        outcome.Responses.Should().ContainSingle().Which.Body.Should().Equal("bad request"u8.ToArray());
        outcome.Explain(vector.Expected).Should().BeNull();
        outcome.Explain(Http11Verdict.Rejected(431)).Should().NotBeNull();
    }

    [Fact]
    public async Task Run_GarbageResponse_ReportsReadError()
    {
        await using var server = new ScriptedServer(async stream =>
        {
            await ScriptedServer.ReadUntilAsync(stream, "Connection: close\r\n\r\n");
            await ScriptedServer.WriteAsync(stream, "SSH-2.0-OpenSSH\r\n");
        });

        var outcome = await new VectorRunner(server.EndPoint).RunAsync(GetA);

        outcome.ReadError.Should().Contain("not a status line");
        outcome.Explain(GetA.Expected).Should().Contain("unreadable");
    }
}
