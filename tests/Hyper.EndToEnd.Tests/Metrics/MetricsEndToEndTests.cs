using System.Net;
using System.Net.Sockets;
using System.Text;
using Hyper.Core.Diagnostics;
using Hyper.EndToEnd.Tests.Tls;

namespace Hyper.EndToEnd.Tests.Metrics;

/// <summary>
/// The <c>Hyper</c> meter seen through an in-process <see cref="System.Diagnostics.Metrics.MeterListener"/> over real
/// requests, HTTP/1.1 and HTTP/2, on every backend: every instrument of docs/metrics.md records, with its tags.
/// </summary>
public sealed class MetricsEndToEndTests : IDisposable
{
    private readonly TlsMaterial _tls = new();

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task RequestsOverHttp11AndHttp2_AndARejectedOne_RecordEveryRequestInstrument(string backend)
    {
        using var recorder = new MetricsRecorder();
        await using var server = await TestServer.StartAsync(backend, Apps.Basic);
        var meter = server.Server.Metrics.Meter;
        var payload = new byte[1000];

        using (var http11 = server.CreateClient())
        {
            for (var i = 0; i < 3; i++) (await http11.GetStringAsync("/")).Should().Be("Hello, World!");
            using var echoed = await http11.PostAsync("/echo", new ByteArrayContent(payload));
            (await echoed.Content.ReadAsByteArrayAsync()).Should().HaveCount(payload.Length);
        }
        using (var http2 = new HttpClient(new SocketsHttpHandler()) { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(15) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/path") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using var response = await http2.SendAsync(request);
            response.Version.Should().Be(HttpVersion.Version20);
        }
        using (var raw = await RawHttpClient.ConnectAsync(server))
        {
            await raw.SendAsync("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 40_000) + "\r\n\r\n");
            (await raw.ReadResponseAsync()).Status.Should().Be(431);
        }

        // The clients have closed: once the server has seen every close, the up-down counters are back to zero.
        var seen = await recorder.WaitForAsync(meter, m =>
            Count(m, HyperMetrics.RequestsName) >= 5 && Count(m, HyperMetrics.RejectedRequestsName) >= 1 &&
            Count(m, HyperMetrics.ActiveConnectionsName) >= 6 && Sum(m, HyperMetrics.ActiveConnectionsName) == 0 &&
            Sum(m, HyperMetrics.ActiveRequestsName) == 0);

        var requests = Named(seen, HyperMetrics.RequestsName);
        requests.Should().HaveCount(5);
        requests.Count(m => Is(m, "GET", 200, "1.1")).Should().Be(3);
        requests.Count(m => Is(m, "POST", 200, "1.1")).Should().Be(1);
        requests.Count(m => Is(m, "GET", 200, "2")).Should().Be(1);

        var durations = Named(seen, HyperMetrics.RequestDurationName);
        durations.Should().HaveCount(5);
        durations.Should().OnlyContain(m => m.Value > 0 && m.Value < 10);
        durations.Count(m => Is(m, "GET", 200, "2")).Should().Be(1);

        var active = Named(seen, HyperMetrics.ActiveRequestsName);
        active.Count(m => m.Value == 1).Should().Be(5);
        active.Where(m => m.Value == 1).Select(m => m.Tag(HyperMetrics.ProtocolVersionTag)).Should().Contain(["1.1", "2"]);
        Sum(seen, HyperMetrics.ActiveRequestsName).Should().Be(0);

        // One connection each: the HTTP/1.1 client, the HTTP/2 client, the raw client.
        Named(seen, HyperMetrics.ActiveConnectionsName).Count(m => m.Value == 1).Should().Be(3);
        Sum(seen, HyperMetrics.ActiveConnectionsName).Should().Be(0);

        // The oversized head is read only up to the 32 KiB header limit before the 431.
        Sum(seen, HyperMetrics.BytesReceivedName).Should().BeGreaterThan(payload.Length + 32 * 1024);
        Sum(seen, HyperMetrics.BytesSentName).Should().BeGreaterThan(payload.Length + 3 * "Hello, World!".Length);

        var rejected = Named(seen, HyperMetrics.RejectedRequestsName).Should().ContainSingle().Subject;
        rejected.Tag(HyperMetrics.StatusTag).Should().Be(431);
        rejected.Tag(HyperMetrics.ReasonTag).Should().Be("header_fields_too_large");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ConnectionOverMaxConnections_IsCountedAsRejected(string backend)
    {
        using var recorder = new MetricsRecorder();
        await using var server = await TestServer.StartAsync(backend, Apps.Basic, o => o with
        {
            MaxConnections = 1,
            KeepAliveTimeout = TimeSpan.FromSeconds(30),
        });
        using var held = await RawHttpClient.ConnectAsync(server);
        await held.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        (await held.ReadResponseAsync()).Status.Should().Be(200);

        using (var refused = await RawHttpClient.ConnectAsync(server))
            (await refused.WaitForCloseAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();

        var seen = await recorder.WaitForAsync(server.Server.Metrics.Meter, m => Count(m, HyperMetrics.RejectedConnectionsName) >= 1);
        Named(seen, HyperMetrics.RejectedConnectionsName).Should().ContainSingle()
            .Which.Tag(HyperMetrics.ReasonTag).Should().Be("max_connections");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task TlsHandshakes_AreCountedByOutcomeAndVersion(string backend)
    {
        using var recorder = new MetricsRecorder();
        await using var server = await TlsTestServer.StartAsync(backend, Apps.Basic, _tls);
        using (var client = server.CreateClient(_tls))
            (await client.GetStringAsync("/")).Should().Be("Hello, World!");
        using (var garbage = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await garbage.ConnectAsync(IPAddress.Loopback, server.Port);
            // Not a TLS record: the handshake fails at once.
            await garbage.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
            var buffer = new byte[256];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { while (await garbage.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0) { } }
            catch (SocketException) { }
        }

        var seen = await recorder.WaitForAsync(server.Server.Server.Metrics.Meter, m => Count(m, HyperMetrics.TlsHandshakesName) >= 2);
        var handshakes = Named(seen, HyperMetrics.TlsHandshakesName);
        handshakes.Should().HaveCount(2);
        handshakes.Should().ContainSingle(m => (string?)m.Tag(HyperMetrics.OutcomeTag) == "success")
            .Which.Tag(HyperMetrics.TlsVersionTag).Should().BeOneOf("1.2", "1.3");
        handshakes.Should().ContainSingle(m => (string?)m.Tag(HyperMetrics.OutcomeTag) == "failure");
    }

    private static List<RecordedMeasurement> Named(IReadOnlyList<RecordedMeasurement> all, string name) => all.Where(m => m.Instrument == name).ToList();
    private static int Count(IReadOnlyList<RecordedMeasurement> all, string name) => all.Count(m => m.Instrument == name);
    private static double Sum(IReadOnlyList<RecordedMeasurement> all, string name) => all.Where(m => m.Instrument == name).Sum(m => m.Value);

    private static bool Is(RecordedMeasurement m, string method, int status, string version) =>
        (string?)m.Tag(HyperMetrics.MethodTag) == method && m.Tag(HyperMetrics.StatusTag) is int s && s == status &&
        (string?)m.Tag(HyperMetrics.ProtocolVersionTag) == version;

    public void Dispose() => _tls.Dispose();
}
