using System.Net;
using System.Security.Cryptography;
using Hyper.Quic.Connection;
using Hyper.Quic.Packets;
using Hyper.Quic.Tests.Tls;
using Hyper.Quic.Tls;

namespace Hyper.Quic.Tests.Connection;

/// <summary>
/// An in-memory network between a <see cref="TestQuicClient"/> and a server <see cref="QuicConnection"/>, with
/// explicit time (microseconds), a one-way delay, and hooks that drop or delay datagrams. Nothing here reads a clock:
/// time jumps to the next delivery or timer, so a test of a 30-second idle timeout takes milliseconds.
/// </summary>
internal sealed class QuicTestNetwork : IDisposable
{
    public static readonly IPEndPoint ClientAddress = new(IPAddress.Loopback, 50000);

    private readonly PriorityQueue<(bool ToServer, byte[] Data), (long Time, long Sequence)> _inFlight = new();
    private readonly byte[] _sendBuffer = new byte[65536];
    private long _sequence;

    public QuicTestNetwork(QuicConnectionOptions? options = null, TestQuicClient? client = null)
    {
        Options = options ?? DefaultOptions();
        Client = client ?? new TestQuicClient();
    }

    public static QuicConnectionOptions DefaultOptions(Action<QuicConnectionOptionsBuilder>? configure = null)
    {
        var builder = new QuicConnectionOptionsBuilder();
        configure?.Invoke(builder);
        return builder.Build();
    }

    public QuicConnectionOptions Options { get; }

    public TestQuicClient Client { get; }

    public QuicConnection? Server { get; private set; }

    public long Now { get; set; } = 1_000_000;

    public long OneWayDelay { get; set; } = 5_000;

    /// <summary>Return true to drop the n-th datagram (0-based) toward the server.</summary>
    public Func<int, byte[], bool> DropToServer { get; set; } = (_, _) => false;

    /// <summary>Return true to drop the n-th datagram (0-based) toward the client.</summary>
    public Func<int, byte[], bool> DropToClient { get; set; } = (_, _) => false;

    /// <summary>Extra delay for the n-th datagram toward the client, to reorder them.</summary>
    public Func<int, long> ExtraDelayToClient { get; set; } = _ => 0;

    /// <summary>Echo every stream's data back on the same stream, FIN included.</summary>
    public bool Echo { get; set; }

    public List<QuicConnectionEvent> ServerEvents { get; } = [];

    public int DatagramsToServer { get; private set; }

    public int DatagramsToClient { get; private set; }

    public long BytesToServer { get; private set; }

    public long BytesToClient { get; private set; }

    /// <summary>Bytes the application read from each stream on the server.</summary>
    public Dictionary<ulong, MemoryStream> ServerReceived { get; } = [];

    public HashSet<ulong> ServerFinished { get; } = [];

    /// <summary>Whether the server application reads stream data as it arrives (false to test flow control).</summary>
    public bool ServerReads { get; set; } = true;

    public void Start()
    {
        Client.Start();
        FlushClient();
    }

    /// <summary>Sends a datagram from the client as it is, bypassing the client's own packet building.</summary>
    public void InjectToServer(byte[] datagram) => Enqueue(true, datagram, Now + OneWayDelay);

    public bool RunUntil(Func<bool> condition, long maxDuration = 60_000_000)
    {
        var end = Now + maxDuration;
        var steps = 0;
        while (!condition() && Now < end)
        {
            if (!Step(end)) break;
            // A step that does not advance time forever is a bug in a timer; fail instead of hanging.
            if (++steps > 200_000) throw new InvalidOperationException($"No progress after {steps} steps at t={Now}.");
        }
        return condition();
    }

    /// <summary>Processes everything that happens in the next <paramref name="duration"/> microseconds.</summary>
    public void Settle(long duration)
    {
        var end = Now + duration;
        while (Step(end)) { }
        Now = end;
    }

    /// <summary>Advances to the next event and processes everything due then. False when nothing is scheduled.</summary>
    public bool Step(long limit = long.MaxValue)
    {
        var next = Math.Min(Server?.TimerDeadline ?? long.MaxValue, Client.NextRetransmit);
        if (_inFlight.TryPeek(out _, out var head)) next = Math.Min(next, head.Time);
        if (next == long.MaxValue || next > limit) return false;
        Now = Math.Max(Now, next);

        while (_inFlight.TryPeek(out var item, out var when) && when.Time <= Now)
        {
            _inFlight.Dequeue();
            if (item.ToServer) DeliverToServer(item.Data);
            else Client.Receive(item.Data, Now);
        }
        if (Server is not null && Server.TimerDeadline <= Now) Server.OnTimer(Now);
        DrainServer();
        FlushClient();
        return true;
    }

    public void DrainServer()
    {
        if (Server is null) return;
        while (Server.TryGetEvent(out var e))
        {
            ServerEvents.Add(e!);
            if (e is StreamDataAvailable available && ServerReads) ReadStream(available.StreamId);
        }
        int length;
        var written = 0;
        while ((length = Server.WriteDatagram(_sendBuffer, Now)) > 0)
        {
            if (++written > 100_000) throw new InvalidOperationException("The server keeps producing datagrams.");
            var index = DatagramsToClient++;
            var datagram = _sendBuffer[..length];
            BytesToClient += length;
            if (DropToClient(index, datagram)) continue;
            Enqueue(false, datagram, Now + OneWayDelay + ExtraDelayToClient(index));
        }
    }

    public void ReadStream(ulong streamId)
    {
        var buffer = new byte[65536];
        if (!ServerReceived.TryGetValue(streamId, out var received)) ServerReceived[streamId] = received = new MemoryStream();
        while (true)
        {
            var count = Server!.Read(streamId, buffer, out var finished);
            received.Write(buffer, 0, count);
            if (Echo && (count > 0 || finished)) Server.Write(streamId, buffer.AsSpan(0, count), finished);
            if (finished) ServerFinished.Add(streamId);
            if (count == 0 || finished) break;
        }
    }

    public void FlushClient()
    {
        foreach (var datagram in Client.Flush(Now))
        {
            var index = DatagramsToServer++;
            BytesToServer += datagram.Length;
            if (DropToServer(index, datagram)) continue;
            Enqueue(true, datagram, Now + OneWayDelay);
        }
    }

    private void Enqueue(bool toServer, byte[] datagram, long time) => _inFlight.Enqueue((toServer, datagram), (time, _sequence++));

    private void DeliverToServer(byte[] datagram)
    {
        if (Server is null)
        {
            // The endpoint's part: a new connection from the first Initial's connection IDs.
            if (!PacketHeaderParser.TryParse(datagram, Options.ConnectionIdLength, out var header) || header.Type != PacketType.Initial) return;
            Server = new QuicConnection(Options, header.DestinationConnectionId, header.SourceConnectionId, ClientAddress, Now);
        }
        Server.Receive(datagram, ClientAddress, Now);
    }

    public void Dispose()
    {
        Server?.Dispose();
        Client.Dispose();
    }
}

/// <summary>Test defaults for <see cref="QuicConnectionOptions"/>, adjustable per test.</summary>
internal sealed class QuicConnectionOptionsBuilder
{
    public long IdleTimeoutMilliseconds { get; set; } = 30_000;

    public long ConnectionReceiveWindow { get; set; } = 1 << 20;

    public int StreamReceiveWindow { get; set; } = 256 * 1024;

    public long MaxBidirectionalStreams { get; set; } = 100;

    public int ActiveConnectionIdLimit { get; set; } = 4;

    public QuicConnectionOptions Build() => new()
    {
        Tls = HandshakeHarness.DefaultOptions(new ServerCertificate(TestCertificates.Ecdsa)),
        StatelessResetKey = RandomNumberGenerator.GetBytes(32),
        IdleTimeoutMilliseconds = IdleTimeoutMilliseconds,
        ConnectionReceiveWindow = ConnectionReceiveWindow,
        StreamReceiveWindow = StreamReceiveWindow,
        MaxBidirectionalStreams = MaxBidirectionalStreams,
        ActiveConnectionIdLimit = ActiveConnectionIdLimit,
    };
}
