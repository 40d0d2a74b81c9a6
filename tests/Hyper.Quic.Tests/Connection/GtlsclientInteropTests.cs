using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hyper.Quic.Connection;
using Hyper.Quic.Packets;
using Xunit.Abstractions;

namespace Hyper.Quic.Tests.Connection;

/// <summary>
/// Debian's ngtcp2 example client (<c>gtlsclient</c>, package ngtcp2-client) against <see cref="QuicConnection"/>
/// over a real loopback UDP socket. The loop below drives one connection directly, without the endpoint; the same
/// client against the endpoint on every backend's UDP transport is in Hyper.Transport.Quic.Tests. HTTP/3 is not built, so the "application" answers the client's request by hand: a control stream with
/// an empty SETTINGS frame and a HEADERS frame carrying ":status 200" (QPACK static index 25). gtlsclient exits 0 even
/// when it fails, so the test judges by its log lines.
/// </summary>
public sealed class GtlsclientInteropTests(ITestOutputHelper output)
{
    private const string Client = "/usr/bin/gtlsclient";

    [Theory]
    // GnuTLS priority strings.
    [InlineData("AES-128-GCM", "X25519", false)]
    [InlineData("AES-256-GCM", "X25519", false)]
    // P-256 only: the server prefers X25519, but takes the P-256 share the client sent.
    [InlineData("CHACHA20-POLY1305", "SECP256R1", false)]
    [InlineData("AES-128-GCM", "X25519", true)]
    public async Task Gtlsclient_CompletesHandshakeAndGetsTheResponse(string cipher, string group, bool keyUpdate)
    {
        File.Exists(Client).Should().BeTrue("the interop peer is Debian's ngtcp2-client package (apt-get install ngtcp2-client)");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var options = QuicTestNetwork.DefaultOptions();

        string[] arguments =
        [
            "--exit-on-all-streams-close", "--timeout=10s", "--handshake-timeout=10s", $"--ciphers=NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{cipher}", $"--groups=-GROUP-ALL:+GROUP-{group}",
            .. keyUpdate ? new[] { "--key-update=50ms", "--delay-stream=200ms" } : [],
            "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), $"https://127.0.0.1:{port}/",
        ];
        using var process = Process.Start(new ProcessStartInfo(Client, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        var connection = Serve(socket, options, process, TimeSpan.FromSeconds(20), body: []);
        process.WaitForExit(10_000).Should().BeTrue();
        var log = await stdout + await stderr;
        output.WriteLine(log.Length > 20_000 ? log[^20_000..] : log);

        connection.Should().NotBeNull("gtlsclient must have reached the server");
        connection!.IsHandshakeComplete.Should().BeTrue();
        log.Should().Contain("QUIC handshake has completed");
        log.Should().Contain($"Negotiated cipher suite is {cipher}");
        log.Should().Contain(":status: 200");
        if (keyUpdate)
        {
            connection.KeyUpdates.Should().BeGreaterThan(0);
            log.Should().Contain("key update confirmed");
        }
        // The client ends the connection itself with H3_NO_ERROR (0x100) after the stream; the server never closes it.
        log.Should().Contain("HTTP stream 0 closed with error code 256");
        log.Should().NotMatchRegex("frm rx [^\n]*CONNECTION_CLOSE");
    }

    [Fact]
    public async Task Gtlsclient_DownloadsOneMegabyteIntact_AtTenPercentLossBothWays()
    {
        File.Exists(Client).Should().BeTrue("the interop peer is Debian's ngtcp2-client package (apt-get install ngtcp2-client)");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var directory = Directory.CreateTempSubdirectory("hyper-quic-interop-");
        var body = new byte[1_000_000];
        new Random(3).NextBytes(body);
        try
        {
            // gtlsclient drops 10% of what it sends (-t) and of what it receives (-r).
            using var process = Process.Start(new ProcessStartInfo(Client,
                ["-q", "-t", "0.1", "-r", "0.1", "--exit-on-all-streams-close", "--timeout=20s", $"--download={directory.FullName}",
                 "127.0.0.1", port, $"https://127.0.0.1:{port}/big.bin"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();

            var connection = Serve(socket, QuicTestNetwork.DefaultOptions(), process, TimeSpan.FromSeconds(60), body);
            process.WaitForExit(20_000).Should().BeTrue();
            var log = await stdout + await stderr;
            output.WriteLine(log.Length > 20_000 ? log[^20_000..] : log);
            output.WriteLine($"server: {connection?.DatagramsSent} datagrams sent, {connection?.PacketsDeclaredLost} packets declared lost");

            connection!.IsHandshakeComplete.Should().BeTrue();
            var downloaded = Path.Combine(directory.FullName, "big.bin");
            File.Exists(downloaded).Should().BeTrue();
            (await File.ReadAllBytesAsync(downloaded)).Should().Equal(body);
            connection.PacketsDeclaredLost.Should().BeGreaterThan(0);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>An HTTP/3 response: HEADERS (":status 200", QPACK static index 25), then one DATA frame with the body.</summary>
    private static byte[] Response(byte[] body)
    {
        var response = new List<byte> { 0x01, 0x03, 0x00, 0x00, 0xd9 };
        if (body.Length == 0) return [.. response];
        response.Add(0x00);
        var length = new byte[8];
        Hyper.Quic.Packets.VariableLengthInteger.TryWrite(length, (ulong)body.Length, out var written);
        response.AddRange(length[..written]);
        response.AddRange(body);
        return [.. response];
    }

    private static QuicConnection? Serve(Socket socket, QuicConnectionOptions options, Process client, TimeSpan limit, byte[] body)
    {
        var clock = Stopwatch.StartNew();
        long Now() => clock.Elapsed.Ticks / 10;
        var buffer = new byte[65536];
        var output = new byte[65536];
        QuicConnection? connection = null;
        EndPoint remote = new IPEndPoint(IPAddress.Any, 0);
        var responded = new HashSet<ulong>();
        ulong? controlStream = null;
        while (clock.Elapsed < limit && !client.HasExited && connection?.IsClosed != true)
        {
            var wait = connection is null ? 100_000 : Math.Clamp(connection.TimerDeadline - Now(), 0, 100_000);
            if (socket.Poll((int)wait, SelectMode.SelectRead))
            {
                var length = socket.ReceiveFrom(buffer, ref remote);
                var from = (IPEndPoint)remote;
                if (connection is null)
                {
                    if (!PacketHeaderParser.TryParse(buffer.AsSpan(0, length), options.ConnectionIdLength, out var header) || header.Type != PacketType.Initial) continue;
                    connection = new QuicConnection(options, header.DestinationConnectionId, header.SourceConnectionId, new IPEndPoint(from.Address, from.Port), Now());
                }
                connection.Receive(buffer.AsSpan(0, length), from, Now());
            }
            if (connection is null) continue;
            if (connection.TimerDeadline <= Now()) connection.OnTimer(Now());

            while (connection.TryGetEvent(out var e))
            {
                switch (e)
                {
                    case ConnectionEstablished:
                        // HTTP/3 control stream (RFC 9114 §6.2.1) with an empty SETTINGS frame.
                        controlStream = connection.OpenStream(bidirectional: false);
                        connection.Write(controlStream!.Value, [0x00, 0x04, 0x00], fin: false);
                        break;
                    case StreamDataAvailable available:
                        var read = new byte[65536];
                        connection.Read(available.StreamId, read, out var finished);
                        // A request stream is bidirectional and client-initiated; answer once its request is complete.
                        if (finished && (available.StreamId & 0x3) == 0 && responded.Add(available.StreamId))
                            connection.Write(available.StreamId, Response(body), fin: true);
                        break;
                }
            }

            int written;
            while ((written = connection.WriteDatagram(output, Now())) > 0)
                socket.SendTo(output.AsSpan(0, written), SocketFlags.None, connection.RemoteEndPoint);
        }
        return connection;
    }
}
