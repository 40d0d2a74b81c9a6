using System.Net;
using Hyper.Quic.Connection;
using Hyper.Quic.Endpoint;
using Hyper.Quic.Packets;
using Hyper.Quic.Tests.Connection;

namespace Hyper.Quic.Tests.Endpoint;

/// <summary>
/// Test clients joined to one <see cref="QuicEndpoint"/> in memory with explicit time (microseconds): each client has
/// its own address, the endpoint's datagrams go to the client at the address it names, and Retry packets are followed
/// when <see cref="FollowRetry"/> is set. Every datagram the endpoint sends is kept for inspection.
/// </summary>
internal sealed class EndpointTestNetwork : IDisposable
{
    private readonly byte[] _sendBuffer = new byte[65536];

    public EndpointTestNetwork(QuicEndpointOptions options)
    {
        Options = options;
        Endpoint = new QuicEndpoint(options);
    }

    public static QuicEndpointOptions DefaultOptions(QuicRetryMode retry = QuicRetryMode.Never, int maxConnections = 10_000, int maxHandshakes = 1_000) => new()
    {
        Connection = QuicTestNetwork.DefaultOptions(),
        Retry = retry,
        RetryTokenKey = retry == QuicRetryMode.Never ? null : System.Security.Cryptography.RandomNumberGenerator.GetBytes(32),
        MaxConnections = maxConnections,
        MaxHandshakes = maxHandshakes,
    };

    public QuicEndpointOptions Options { get; }

    public QuicEndpoint Endpoint { get; }

    public Dictionary<IPEndPoint, TestQuicClient> Clients { get; } = [];

    public long Now { get; set; } = 1_000_000;

    public bool FollowRetry { get; set; } = true;

    public List<QuicEndpointEvent> Events { get; } = [];

    /// <summary>Every datagram the endpoint sent, with its destination.</summary>
    public List<(byte[] Datagram, IPEndPoint Remote)> Sent { get; } = [];

    public static IPEndPoint Address(int index) => new(IPAddress.Loopback, 40000 + index);

    public TestQuicClient AddClient(IPEndPoint address, TestQuicClient? client = null)
    {
        client ??= new TestQuicClient();
        Clients[address] = client;
        client.Start();
        return client;
    }

    /// <summary>Delivers one datagram to the endpoint from <paramref name="from"/>, then collects what it answers.</summary>
    public void Inject(byte[] datagram, IPEndPoint from)
    {
        Endpoint.Receive(datagram.AsSpan().ToArray(), from, Now);
        DrainEndpoint();
    }

    /// <summary>Exchanges datagrams (1 ms per hop) until nothing moves or <paramref name="condition"/> holds.</summary>
    public bool RunUntil(Func<bool> condition, long maxDuration = 10_000_000)
    {
        var end = Now + maxDuration;
        while (!condition() && Now < end)
        {
            var moved = false;
            foreach (var (address, client) in Clients.ToList())
            {
                foreach (var datagram in client.Flush(Now))
                {
                    Endpoint.Receive(datagram, address, Now);
                    moved = true;
                }
            }
            if (Endpoint.TimerDeadline <= Now) Endpoint.OnTimer(Now);
            moved |= DrainEndpoint() > 0;
            Now += 1_000;
            if (!moved)
            {
                var next = Math.Min(Endpoint.TimerDeadline, Clients.Values.Select(c => c.NextRetransmit).DefaultIfEmpty(long.MaxValue).Min());
                if (next == long.MaxValue) break;
                Now = Math.Max(Now, Math.Min(next, end));
            }
        }
        return condition();
    }

    public int DrainEndpoint()
    {
        while (Endpoint.TryGetEvent(out var e)) Events.Add(e);
        var count = 0;
        int length;
        while ((length = Endpoint.WriteDatagram(_sendBuffer, Now, out var remote)) > 0)
        {
            count++;
            var datagram = _sendBuffer[..length];
            Sent.Add((datagram, remote!));
            if (!Clients.TryGetValue(remote!, out var client)) continue;
            if (FollowRetry && PacketHeaderParser.TryParse(datagram, TestQuicClient.ConnectionIdLength, out var header) && header.Type == PacketType.Retry)
                client.AcceptRetry(header.SourceConnectionId.ToArray(), header.Token.ToArray());
            else
                client.Receive(datagram, Now);
        }
        while (Endpoint.TryGetEvent(out var e)) Events.Add(e);
        return count;
    }

    public void Dispose()
    {
        Endpoint.Dispose();
        foreach (var client in Clients.Values) client.Dispose();
    }
}
