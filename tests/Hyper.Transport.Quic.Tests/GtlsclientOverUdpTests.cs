using Xunit.Abstractions;

namespace Hyper.Transport.Quic.Tests;

/// <summary>
/// gtlsclient against <see cref="QuicServer"/> over real loopback UDP, on every backend: the whole path a client's
/// datagrams take (the backend's UDP socket, the endpoint host, the endpoint, the connection, the handler).
/// </summary>
[Collection("gtlsclient")]
public sealed class GtlsclientOverUdpTests(ITestOutputHelper output)
{
    private void Show(string log) => output.WriteLine(log.Length > 20_000 ? log[^20_000..] : log);

    [Theory]
    [MemberData(nameof(QuicTestServer.Backends), MemberType = typeof(QuicTestServer))]
    public async Task Handshake_AndRequest_GetTheResponse(string backend)
    {
        await using var server = await QuicTestServer.StartAsync(backend);

        var log = await Gtlsclient.RunAsync(server.Port, []);
        Show(log);

        log.Should().Contain("QUIC handshake has completed");
        log.Should().Contain(":status: 200");
        log.Should().Contain("HTTP stream 0 closed with error code 256");
        server.Handlers.Responses.Should().Be(1);
    }

    /// <remarks>
    /// Skipped while a rare stall is open (docs/quic.md, "Known bug"): in one clean-clone CI run of about twenty, on
    /// single-thread-loop, the server sent nothing for 15 s near the end of the download and gtlsclient idled out 808
    /// bytes short. The in-memory loss tests of Hyper.Quic.Tests and its direct gtlsclient test still run.
    /// </remarks>
    [Theory(Skip = "rare tail stall under 10 % loss over QuicServer (docs/quic.md, Known bug); remove the skip with the fix")]
    [MemberData(nameof(QuicTestServer.Backends), MemberType = typeof(QuicTestServer))]
    public async Task OneMegabyte_AtTenPercentLossBothWays_ArrivesIntact(string backend)
    {
        var body = new byte[1_000_000];
        new Random(7).NextBytes(body);
        await using var server = await QuicTestServer.StartAsync(backend, body);
        var directory = Directory.CreateTempSubdirectory("hyper-quic-download-");
        try
        {
            var log = await Gtlsclient.RunAsync(server.Port, ["-q", "-t", "0.1", "-r", "0.1", $"--download={directory.FullName}"], "/big.bin", TimeSpan.FromSeconds(60));
            Show(log);

            var downloaded = Path.Combine(directory.FullName, "big.bin");
            File.Exists(downloaded).Should().BeTrue();
            (await File.ReadAllBytesAsync(downloaded)).Should().Equal(body);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(QuicTestServer.Backends), MemberType = typeof(QuicTestServer))]
    public async Task ManyClientsAtOnce_AllGetTheirResponse(string backend)
    {
        await using var server = await QuicTestServer.StartAsync(backend, new byte[10_000]);
        const int clients = 12;

        var logs = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Gtlsclient.RunAsync(server.Port, [], limit: TimeSpan.FromSeconds(60))));

        foreach (var log in logs)
        {
            if (!log.Contains(":status: 200", StringComparison.Ordinal)) Show(log);
            log.Should().Contain(":status: 200");
        }
        server.Handlers.Responses.Should().Be(clients);
    }

    [Theory]
    [MemberData(nameof(QuicTestServer.Backends), MemberType = typeof(QuicTestServer))]
    public async Task UnsupportedVersion_IsNegotiatedToVersion1(string backend)
    {
        await using var server = await QuicTestServer.StartAsync(backend);

        var log = await Gtlsclient.RunAsync(server.Port, ["-v", "0x1a2a3a4a", "--preferred-versions=v1"]);
        Show(log);

        log.Should().MatchRegex("(?i)version.?negotiation");
        server.Server.Counters.VersionNegotiations.Should().BeGreaterThan(0);
        log.Should().Contain(":status: 200");
    }

    [Theory]
    [MemberData(nameof(QuicTestServer.Backends), MemberType = typeof(QuicTestServer))]
    public async Task RetryAlways_ClientFollowsTheRetry_AndGetsTheResponse(string backend)
    {
        await using var server = await QuicTestServer.StartAsync(backend, retry: "always");

        var log = await Gtlsclient.RunAsync(server.Port, []);
        Show(log);

        log.Should().MatchRegex("(?i)retry");
        server.Server.Counters.Retries.Should().BeGreaterThan(0);
        log.Should().Contain("QUIC handshake has completed");
        log.Should().Contain(":status: 200");
    }
}

[CollectionDefinition("gtlsclient", DisableParallelization = true)]
public sealed class GtlsclientCollection;
