using Hyper.Quic.Crypto;
using Hyper.Quic.Packets;
using Hyper.Quic.Tls;
using Hyper.Quic.Transport;

namespace Hyper.Quic.Tests.Tls;

/// <summary>Runs a <see cref="TestTlsClient"/> against a <see cref="TlsServerHandshake"/> in memory.</summary>
internal sealed class HandshakeHarness : IDisposable
{
    public static readonly TransportParameters ServerParameters = new()
    {
        OriginalDestinationConnectionId = new ConnectionId([9, 9, 9, 9, 9, 9, 9, 9]),
        InitialSourceConnectionId = new ConnectionId([5, 6, 7, 8]),
        InitialMaxData = 1 << 20,
    };

    private readonly Dictionary<EncryptionLevel, ulong> _clientOffsets = [];
    private readonly Dictionary<EncryptionLevel, ulong> _serverOffsets = [];

    public HandshakeHarness(TestTlsClient client, TlsServerOptions? options = null)
    {
        Client = client;
        Options = options ?? DefaultOptions(new ServerCertificate(TestCertificates.Ecdsa));
        Server = new TlsServerHandshake(Options, ServerParameters);
    }

    public TestTlsClient Client { get; }

    public TlsServerOptions Options { get; }

    public TlsServerHandshake Server { get; }

    public List<TlsHandshakeEvent> ServerEvents { get; } = [];

    /// <summary>How client CRYPTO data is cut into frames and in what order they are delivered.</summary>
    public Func<byte[], IEnumerable<(int Offset, int Length)>> Split { get; init; } = data => [(0, data.Length)];

    public static TlsServerOptions DefaultOptions(ServerCertificate certificate) => new()
    {
        CertificateSelector = new DictionaryCertificateSelector(certificate),
        ApplicationProtocols = ["h3"],
    };

    /// <summary>Exchanges data until neither side has anything left to send.</summary>
    public void Run()
    {
        Client.Start();
        var progress = true;
        while (progress)
        {
            progress = false;
            while (Client.Outgoing.TryDequeue(out var outgoing))
            {
                progress = true;
                var baseOffset = _clientOffsets.GetValueOrDefault(outgoing.Level);
                _clientOffsets[outgoing.Level] = baseOffset + (ulong)outgoing.Data.Length;
                foreach (var (offset, length) in Split(outgoing.Data))
                    Server.ReceiveCryptoData(outgoing.Level, baseOffset + (ulong)offset, outgoing.Data.AsSpan(offset, length));
            }

            while (Server.TryGetEvent(out var e))
            {
                progress = true;
                ServerEvents.Add(e!);
                if (e is HandshakeDataReady data)
                {
                    var offset = _serverOffsets.GetValueOrDefault(data.Level);
                    _serverOffsets[data.Level] = offset + (ulong)data.Data.Length;
                    Client.Receive(data.Level, offset, data.Data);
                }
            }
        }
    }

    public TrafficSecretsReady Secrets(EncryptionLevel level) =>
        ServerEvents.OfType<TrafficSecretsReady>().Single(e => e.Level == level);

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
    }
}
