using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Hyper.Quic.Crypto;
using Hyper.Quic.Tls;
using Hyper.Quic.Transport;

namespace Hyper.Quic.Tests.Tls;

/// <summary>
/// A minimal TLS 1.3 client for QUIC, built on the same codec as the server (TlsReader/TlsWriter, key schedule, key
/// exchange), to drive <see cref="TlsServerHandshake"/> in memory. It checks everything a real client checks: the
/// server's key share, CertificateVerify signature over the transcript and the server Finished.
/// </summary>
internal sealed class TestTlsClient : IDisposable
{
    private readonly List<byte[]> _transcript = [];
    private readonly Dictionary<EncryptionLevel, CryptoStreamReassembler> _streams = new()
    {
        [EncryptionLevel.Initial] = new CryptoStreamReassembler(),
        [EncryptionLevel.Handshake] = new CryptoStreamReassembler(),
    };

    private readonly Dictionary<NamedGroup, IKeyExchange> _keyExchanges = [];
    private TlsKeySchedule? _schedule;
    private X509Certificate2? _serverCertificate;
    private int _stage; // 0 wait ServerHello, 1 EncryptedExtensions, 2 Certificate, 3 CertificateVerify, 4 Finished, 5 done

    public IReadOnlyList<QuicCipherSuite> CipherSuites { get; init; } =
        [QuicCipherSuite.Aes128GcmSha256, QuicCipherSuite.Aes256GcmSha384, QuicCipherSuite.ChaCha20Poly1305Sha256];

    public IReadOnlyList<NamedGroup> SupportedGroups { get; init; } = [NamedGroup.X25519, NamedGroup.Secp256r1];

    /// <summary>Groups to send key shares for in the first ClientHello.</summary>
    public IReadOnlyList<NamedGroup> KeyShareGroups { get; init; } = [NamedGroup.X25519];

    public IReadOnlyList<ushort> SignatureAlgorithms { get; init; } = [0x0403, 0x0804, 0x0401];

    public IReadOnlyList<string> ApplicationProtocols { get; init; } = ["h3"];

    public string? ServerName { get; init; } = "localhost";

    public TransportParameters TransportParameters { get; init; } = new() { InitialSourceConnectionId = new Hyper.Quic.Packets.ConnectionId([1, 2, 3, 4]) };

    /// <summary>Key shares for groups the server does not implement, written before the real ones (as Chromium sends X25519MLKEM768 first).</summary>
    public IReadOnlyList<(ushort Group, byte[] Key)> ForeignKeyShares { get; init; } = [];

    /// <summary>Extensions to leave out of every ClientHello, for the missing-extension cases.</summary>
    public IReadOnlySet<ExtensionType> Omit { get; init; } = new HashSet<ExtensionType>();

    /// <summary>Extra extensions written after the usual ones in every ClientHello.</summary>
    public Action<TlsWriter>? ExtraExtensions { get; init; }

    public QuicCipherSuite? Suite { get; private set; }

    public NamedGroup? Group { get; private set; }

    public bool ReceivedHelloRetryRequest { get; private set; }

    public string? ApplicationProtocol { get; private set; }

    public TransportParameters? ServerTransportParameters { get; private set; }

    public bool ServerAcknowledgedServerName { get; private set; }

    public X509Certificate2? ServerCertificate => _serverCertificate;

    public TlsKeySchedule Schedule => _schedule ?? throw new InvalidOperationException("No ServerHello yet.");

    public bool IsComplete => _stage == 5;

    /// <summary>Data to send: (level, bytes). Filled by <see cref="Start"/> and by processing server data.</summary>
    public Queue<(EncryptionLevel Level, byte[] Data)> Outgoing { get; } = new();

    public void Start()
    {
        var hello = WriteClientHello(KeyShareGroups, ExtraExtensions);
        _transcript.Add(hello);
        Outgoing.Enqueue((EncryptionLevel.Initial, hello));
    }

    public void Receive(EncryptionLevel level, ulong offset, ReadOnlySpan<byte> data)
    {
        var stream = _streams[level];
        stream.Write(offset, data);
        while (stream.Available.Length >= 4)
        {
            var available = stream.Available;
            var length = (available[1] << 16) | (available[2] << 8) | available[3];
            if (available.Length < 4 + length)
                break;
            var message = available[..(4 + length)].ToArray();
            stream.Consume(message.Length);
            Handle(level, message);
        }
    }

    /// <summary>Builds a ClientHello; public so tests can take it apart and send broken variants.</summary>
    public byte[] WriteClientHello(IEnumerable<NamedGroup> shareGroups, Action<TlsWriter>? extraExtensions = null)
    {
        foreach (var group in shareGroups)
        {
            if (!_keyExchanges.ContainsKey(group))
                _keyExchanges[group] = KeyExchanges.Create(group);
        }

        var w = new TlsWriter();
        var message = HandshakeMessageWriter.BeginMessage(w, HandshakeType.ClientHello);
        w.WriteUInt16(0x0303);
        w.WriteBytes(RandomNumberGenerator.GetBytes(32));
        w.WriteUInt8(0); // legacy_session_id: empty in QUIC (RFC 9001 §8.4)
        var suites = w.BeginVector(2);
        foreach (var suite in CipherSuites)
            w.WriteUInt16((ushort)suite);
        w.EndVector(suites);
        w.WriteUInt8(1);
        w.WriteUInt8(0);
        var extensions = w.BeginVector(2);

        if (ServerName is not null)
        {
            AddExtension(w, ExtensionType.ServerName, x =>
            {
                var list = x.BeginVector(2);
                x.WriteUInt8(0);
                var name = x.BeginVector(2);
                x.WriteBytes(Encoding.ASCII.GetBytes(ServerName));
                x.EndVector(name);
                x.EndVector(list);
            });
        }

        AddExtension(w, (ExtensionType)0x0a0a, _ => { }); // GREASE (RFC 8701): the server must skip it
        AddExtension(w, ExtensionType.SupportedVersions, x =>
        {
            var v = x.BeginVector(1);
            x.WriteUInt16(0x0a0a);
            x.WriteUInt16(0x0304);
            x.EndVector(v);
        });
        AddExtension(w, ExtensionType.SupportedGroups, x =>
        {
            var v = x.BeginVector(2);
            foreach (var group in SupportedGroups)
                x.WriteUInt16((ushort)group);
            x.EndVector(v);
        });
        AddExtension(w, ExtensionType.SignatureAlgorithms, x =>
        {
            var v = x.BeginVector(2);
            foreach (var scheme in SignatureAlgorithms)
                x.WriteUInt16(scheme);
            x.EndVector(v);
        });
        AddExtension(w, ExtensionType.KeyShare, x =>
        {
            var v = x.BeginVector(2);
            foreach (var (foreignGroup, foreignKey) in ReceivedHelloRetryRequest ? [] : ForeignKeyShares)
            {
                x.WriteUInt16(foreignGroup);
                var key = x.BeginVector(2);
                x.WriteBytes(foreignKey);
                x.EndVector(key);
            }

            foreach (var group in shareGroups)
            {
                x.WriteUInt16((ushort)group);
                var key = x.BeginVector(2);
                x.WriteBytes(_keyExchanges[group].PublicKey);
                x.EndVector(key);
            }

            x.EndVector(v);
        });
        AddExtension(w, ExtensionType.ApplicationLayerProtocolNegotiation, x =>
        {
            var v = x.BeginVector(2);
            foreach (var protocol in ApplicationProtocols)
            {
                var name = x.BeginVector(1);
                x.WriteBytes(Encoding.ASCII.GetBytes(protocol));
                x.EndVector(name);
            }

            x.EndVector(v);
        });
        AddExtension(w, ExtensionType.PskKeyExchangeModes, x =>
        {
            x.WriteUInt8(1);
            x.WriteUInt8(1); // psk_dhe_ke
        });
        AddExtension(w, ExtensionType.QuicTransportParameters, x => x.WriteBytes(TransportParameterCodec.Encode(TransportParameters)));
        extraExtensions?.Invoke(w);
        w.EndVector(extensions);
        w.EndVector(message);
        return w.ToArray();
    }

    private void AddExtension(TlsWriter w, ExtensionType type, Action<TlsWriter> body)
    {
        if (!Omit.Contains(type))
            Extension(w, type, body);
    }

    public static void Extension(TlsWriter w, ExtensionType type, Action<TlsWriter> body)
    {
        w.WriteUInt16((ushort)type);
        var data = w.BeginVector(2);
        body(w);
        w.EndVector(data);
    }

    public void Dispose()
    {
        foreach (var keyExchange in _keyExchanges.Values)
            keyExchange.Dispose();
        _serverCertificate?.Dispose();
    }

    private void Handle(EncryptionLevel level, byte[] message)
    {
        var type = (HandshakeType)message[0];
        var body = message.AsSpan(4);
        switch (_stage, level, type)
        {
            case (0, EncryptionLevel.Initial, HandshakeType.ServerHello):
                HandleServerHello(message);
                break;
            case (1, EncryptionLevel.Handshake, HandshakeType.EncryptedExtensions):
                HandleEncryptedExtensions(body);
                _transcript.Add(message);
                _stage = 2;
                break;
            case (2, EncryptionLevel.Handshake, HandshakeType.Certificate):
                HandleCertificate(body);
                _transcript.Add(message);
                _stage = 3;
                break;
            case (3, EncryptionLevel.Handshake, HandshakeType.CertificateVerify):
                HandleCertificateVerify(body);
                _transcript.Add(message);
                _stage = 4;
                break;
            case (4, EncryptionLevel.Handshake, HandshakeType.Finished):
                HandleServerFinished(message);
                break;
            default:
                throw new InvalidOperationException($"Client got {type} at {level} in stage {_stage}.");
        }
    }

    private void HandleServerHello(byte[] message)
    {
        var reader = new TlsReader(message.AsSpan(4));
        reader.ReadUInt16().Should().Be(0x0303);
        var random = reader.ReadBytes(32).ToArray();
        reader.ReadVector8().Length.Should().Be(0);
        var suite = (QuicCipherSuite)reader.ReadUInt16();
        reader.ReadUInt8().Should().Be(0);
        CipherSuites.Should().Contain(suite);
        ushort? version = null;
        ushort? group = null;
        byte[]? serverKey = null;
        var extensions = new TlsReader(reader.ReadVector16());
        reader.ExpectEnd("ServerHello");
        var isRetry = random.AsSpan().SequenceEqual(HandshakeMessageWriter.HelloRetryRequestRandom);
        while (!extensions.IsEmpty)
        {
            var type = (ExtensionType)extensions.ReadUInt16();
            var data = new TlsReader(extensions.ReadVector16());
            switch (type)
            {
                case ExtensionType.SupportedVersions:
                    version = data.ReadUInt16();
                    break;
                case ExtensionType.KeyShare:
                    group = data.ReadUInt16();
                    if (!isRetry)
                        serverKey = data.ReadVector16().ToArray();
                    break;
                case ExtensionType.Cookie:
                    data.ReadVector16();
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected ServerHello extension {type}.");
            }

            data.ExpectEnd(type.ToString());
        }

        version.Should().Be(0x0304);
        group.Should().NotBeNull();
        Suite = suite;
        if (isRetry)
        {
            ReceivedHelloRetryRequest.Should().BeFalse("a server sends at most one HelloRetryRequest");
            ReceivedHelloRetryRequest = true;
            var wanted = (NamedGroup)group!.Value;
            SupportedGroups.Should().Contain(wanted);
            KeyShareGroups.Should().NotContain(wanted, "RFC 8446 §4.1.4: HRR must not ask for a share already sent");
            // RFC 8446 §4.4.1: the first ClientHello becomes message_hash in the transcript.
            var hash = Hash(_transcript[0]);
            _transcript.Clear();
            _transcript.Add([(byte)HandshakeType.MessageHash, 0, 0, (byte)hash.Length, .. hash]);
            _transcript.Add(message);
            var second = WriteClientHello([wanted], ExtraExtensions);
            _transcript.Add(second);
            Outgoing.Enqueue((EncryptionLevel.Initial, second));
            return;
        }

        Group = (NamedGroup)group!.Value;
        _keyExchanges.Should().ContainKey(Group.Value, "the server must pick a group the client sent a share for");
        _transcript.Add(message);
        var shared = _keyExchanges[Group.Value].DeriveSharedSecret(serverKey);
        _schedule = new TlsKeySchedule(suite);
        _schedule.SetSharedSecret(shared, TranscriptHash());
        _stage = 1;
    }

    private void HandleEncryptedExtensions(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        var extensions = new TlsReader(reader.ReadVector16());
        reader.ExpectEnd("EncryptedExtensions");
        while (!extensions.IsEmpty)
        {
            var type = (ExtensionType)extensions.ReadUInt16();
            var data = extensions.ReadVector16();
            switch (type)
            {
                case ExtensionType.ApplicationLayerProtocolNegotiation:
                    var list = new TlsReader(data);
                    var names = new TlsReader(list.ReadVector16());
                    ApplicationProtocol = Encoding.ASCII.GetString(names.ReadVector8(1));
                    names.ExpectEnd("ALPN");
                    break;
                case ExtensionType.QuicTransportParameters:
                    ServerTransportParameters = TransportParameterCodec.Decode(data, sentByServer: true);
                    break;
                case ExtensionType.ServerName:
                    data.Length.Should().Be(0);
                    ServerAcknowledgedServerName = true;
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected EncryptedExtensions extension {type}.");
            }
        }

        ApplicationProtocol.Should().NotBeNull("RFC 9001 §8.1: ALPN is mandatory");
        ServerTransportParameters.Should().NotBeNull("RFC 9001 §8.2: transport parameters are mandatory");
    }

    private void HandleCertificate(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        reader.ReadVector8().Length.Should().Be(0);
        var list = new TlsReader(reader.ReadVector24());
        reader.ExpectEnd("Certificate");
        var leaf = list.ReadVector24(1).ToArray();
        list.ReadVector16();
        _serverCertificate = X509CertificateLoader.LoadCertificate(leaf);
    }

    private void HandleCertificateVerify(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        var scheme = reader.ReadUInt16();
        var signature = reader.ReadVector16().ToArray();
        reader.ExpectEnd("CertificateVerify");
        SignatureAlgorithms.Should().Contain(scheme);
        var content = CertificateVerifyContent.ForServer(TranscriptHash());
        bool valid;
        if (scheme == (ushort)SignatureScheme.EcdsaSecp256r1Sha256)
        {
            using var key = _serverCertificate!.GetECDsaPublicKey()!;
            valid = key.VerifyData(content, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        else
        {
            scheme.Should().Be((ushort)SignatureScheme.RsaPssRsaeSha256);
            using var key = _serverCertificate!.GetRSAPublicKey()!;
            valid = key.VerifyData(content, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        }

        valid.Should().BeTrue("CertificateVerify must verify with the certificate's key");
    }

    private void HandleServerFinished(byte[] message)
    {
        var expected = Schedule.ComputeFinishedVerifyData(Schedule.ServerHandshakeTrafficSecret!, TranscriptHash());
        message.AsSpan(4).ToArray().Should().Equal(expected, "the server Finished must verify");
        _transcript.Add(message);
        var throughServerFinished = TranscriptHash();
        Schedule.DeriveApplicationSecrets(throughServerFinished);
        var verifyData = Schedule.ComputeFinishedVerifyData(Schedule.ClientHandshakeTrafficSecret!, throughServerFinished);
        var finished = HandshakeMessageWriter.Finished(verifyData);
        _transcript.Add(finished);
        Outgoing.Enqueue((EncryptionLevel.Handshake, finished));
        _stage = 5;
    }

    private byte[] TranscriptHash() => Hash(_transcript.SelectMany(m => m).ToArray());

    private byte[] Hash(byte[] data) =>
        Suite == QuicCipherSuite.Aes256GcmSha384 ? SHA384.HashData(data) : SHA256.HashData(data);
}
