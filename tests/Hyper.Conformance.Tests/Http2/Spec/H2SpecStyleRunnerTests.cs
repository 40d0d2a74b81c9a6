using System.Net.Sockets;
using Hyper.Conformance.Http2.Client;
using Hyper.Conformance.Http2.Spec;
using Hyper.Conformance.Tests.Http11;
using Hyper.Http2.Frames;

namespace Hyper.Conformance.Tests.Http2.Spec;

/// <summary>
/// The runner against scripted loopback servers, so each verdict rule is shown to fail when the server is wrong:
/// a wrong error code, a reset instead of a response, silence, an HTTP/1.1 answer where none is allowed.
/// </summary>
public sealed class H2SpecStyleRunnerTests
{
    private static readonly byte[] ServerPreface = [.. Http2ClientCodec.Settings((Http2SettingsParameter.MaxConcurrentStreams, 100)), .. Http2ClientCodec.SettingsAck()];

    /// <summary>The client preface and SETTINGS (24 + 15 octets), answered by the server's SETTINGS and ACK.</summary>
    private static async Task HandshakeAsync(NetworkStream stream)
    {
        await ReadAtLeastAsync(stream, 39);
        await stream.WriteAsync(ServerPreface);
    }

    private static async Task ReadAtLeastAsync(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer);
    }

    // 2 s, as the real runs use: 500 ms let a connect on a loaded CI machine time out, and a case "fail" for that reason.
    private static H2SpecStyleRunner RunnerFor(ScriptedServer server) => new(server.EndPoint) { Timeout = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task RunAsync_GoAwayWithAnotherCode_FailsNamingTheCode()
    {
        await using var server = new ScriptedServer(async stream =>
        {
            await HandshakeAsync(stream);
            await ReadAtLeastAsync(stream, 9); // the client's ACK
            await stream.WriteAsync(Http2ClientCodec.GoAway(0, Http2ErrorCode.ProtocolError));
        });

        var verdict = await RunnerFor(server).RunAsync(H2SpecCases.Named("http2/6.5/1"));

        verdict.Passed.Should().BeFalse();
        verdict.Failure.Should().Contain("ProtocolError");
        verdict.Explain().Should().Contain("FrameSizeError");
    }

    [Fact]
    public async Task RunAsync_CloseAfterTheCase_PassesAConnectionError()
    {
        await using var server = new ScriptedServer(async stream =>
        {
            await HandshakeAsync(stream);
            await ReadAtLeastAsync(stream, 9 + 10);
        });

        var verdict = await RunnerFor(server).RunAsync(H2SpecCases.Named("http2/6.5/1"));

        verdict.Passed.Should().BeTrue(verdict.Explain());
    }

    [Fact]
    public async Task RunAsync_ResetInsteadOfResponse_Fails()
    {
        await using var server = new ScriptedServer(async stream =>
        {
            await HandshakeAsync(stream);
            await ReadAtLeastAsync(stream, 9 + 9);
            await stream.WriteAsync(Http2ClientCodec.RstStream(1, Http2ErrorCode.RefusedStream));
        });

        var verdict = await RunnerFor(server).RunAsync(H2SpecCases.Named("generic/4/1"));

        verdict.Passed.Should().BeFalse();
        verdict.Failure.Should().Contain("RST_STREAM[1]");
    }

    [Fact]
    public async Task RunAsync_SilentServer_FailsWithATimeout()
    {
        await using var server = new ScriptedServer(async stream =>
        {
            await HandshakeAsync(stream);
            await ReadAtLeastAsync(stream, 9 + 17);
            await Task.Delay(TimeSpan.FromSeconds(4));
        });

        var verdict = await RunnerFor(server).RunAsync(H2SpecCases.Named("generic/3.7/1"));

        verdict.Passed.Should().BeFalse();
        verdict.Failure.Should().StartWith("timeout");
    }

    [Fact]
    public async Task RunAsync_PingAnsweredWithTheSamePayload_Passes()
    {
        await using var server = new ScriptedServer(async stream =>
        {
            await HandshakeAsync(stream);
            await ReadAtLeastAsync(stream, 9 + 17);
            await stream.WriteAsync(H2SpecContext.Ping(H2SpecCases.ProbePayload, ack: true));
        });

        var verdict = await RunnerFor(server).RunAsync(H2SpecCases.Named("generic/3.7/1"));

        verdict.Passed.Should().BeTrue(verdict.Explain());
    }

    [Theory]
    [InlineData("http2/3.5/2", true)]
    [InlineData("http2/3.5/1", false)]
    public async Task RunAsync_Http11Answer_AcceptedOnlyForTheInvalidPreface(string id, bool passes)
    {
        await using var server = new ScriptedServer(async stream =>
        {
            // Whatever the case sends first; a runner that already gave up and closed is not this script's failure
            // (the verdict below is what the test checks).
            await stream.ReadAtLeastAsync(new byte[24], 24, throwOnEndOfStream: false);
            await ScriptedServer.WriteAsync(stream, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        });

        var verdict = await RunnerFor(server).RunAsync(H2SpecCases.Named(id));

        verdict.Passed.Should().Be(passes, verdict.Explain());
    }
}
