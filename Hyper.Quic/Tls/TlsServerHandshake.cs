using System.Security.Cryptography;
using Hyper.Quic.Crypto;
using Hyper.Quic.Transport;

namespace Hyper.Quic.Tls;

/// <summary>
/// The server side of the TLS 1.3 handshake as QUIC runs it (RFC 9001 §4), sans-IO: CRYPTO frame data goes in per
/// encryption level, handshake bytes to send and traffic secrets come out as <see cref="TlsHandshakeEvent"/>s.
/// Full handshakes only: no PSK, no session tickets, no 0-RTT, no client certificates.
/// </summary>
/// <remarks>
/// Errors are thrown: <see cref="TlsAlertException"/> for TLS alerts (CRYPTO_ERROR 0x100 + alert) and
/// <see cref="QuicTransportException"/> for QUIC-level violations. After either the handshake is dead.
/// </remarks>
public sealed class TlsServerHandshake : IDisposable
{
    private const ushort Tls13 = 0x0304;
    private const int HandshakeHeaderLength = 4;

    private readonly TlsServerOptions _options;
    private readonly byte[] _serverTransportParameters;
    private readonly CryptoStreamReassembler _initial;
    private readonly CryptoStreamReassembler _handshake;
    private readonly Queue<TlsHandshakeEvent> _events = new();

    private State _state = State.AwaitClientHello;
    private IncrementalHash? _transcript;
    private TlsKeySchedule? _keySchedule;
    private NamedGroup? _retryGroup;
    private QuicCipherSuite _suite;
    private NamedGroup _group;
    private string? _applicationProtocol;
    private string? _serverName;
    private byte[]? _expectedClientFinished;

    public TlsServerHandshake(TlsServerOptions options, TransportParameters serverTransportParameters)
    {
        _options = options;
        _serverTransportParameters = TransportParameterCodec.Encode(serverTransportParameters);
        _initial = new CryptoStreamReassembler(options.MaxCryptoBufferBytes);
        _handshake = new CryptoStreamReassembler(options.MaxCryptoBufferBytes);
    }

    private enum State
    {
        AwaitClientHello,
        AwaitSecondClientHello,
        AwaitClientFinished,
        Complete,
        Failed,
    }

    public bool IsComplete => _state == State.Complete;

    /// <summary>Whether this handshake sent a HelloRetryRequest.</summary>
    public bool SentHelloRetryRequest => _retryGroup is not null;

    /// <summary>The client's transport parameters, once its ClientHello has been accepted.</summary>
    public TransportParameters? ClientTransportParameters { get; private set; }

    /// <summary>Feeds the data of one CRYPTO frame received at <paramref name="level"/>.</summary>
    public void ReceiveCryptoData(EncryptionLevel level, ulong offset, ReadOnlySpan<byte> data)
    {
        if (_state == State.Failed)
            throw new InvalidOperationException("The handshake already failed.");
        try
        {
            switch (level)
            {
                case EncryptionLevel.Initial:
                    _initial.Write(offset, data);
                    ProcessInitial();
                    break;
                case EncryptionLevel.Handshake:
                    _handshake.Write(offset, data);
                    ProcessHandshake();
                    break;
                default:
                    // A QUIC client sends no post-handshake messages: KeyUpdate is forbidden (RFC 9001 §6) and a
                    // server that sends no CertificateRequest gets no client Certificate.
                    throw new TlsAlertException(TlsAlert.UnexpectedMessage, "CRYPTO data from the client at 1-RTT.");
            }
        }
        catch (Exception e) when (e is TlsAlertException or QuicTransportException)
        {
            _state = State.Failed;
            throw;
        }
        catch (CryptographicException e)
        {
            _state = State.Failed;
            throw new TlsAlertException(TlsAlert.InternalError, $"Handshake cryptography failed: {e.Message}");
        }
    }

    public bool TryGetEvent(out TlsHandshakeEvent? handshakeEvent) => _events.TryDequeue(out handshakeEvent);

    public void Dispose() => _transcript?.Dispose();

    private void ProcessInitial()
    {
        while (TryReadMessage(_initial, out var type, out var message))
        {
            if (_state is not (State.AwaitClientHello or State.AwaitSecondClientHello) || type != HandshakeType.ClientHello)
                throw new TlsAlertException(TlsAlert.UnexpectedMessage, $"{type} at the Initial level in state {_state}.");
            HandleClientHello(message);
        }
    }

    private void ProcessHandshake()
    {
        while (TryReadMessage(_handshake, out var type, out var message))
        {
            if (_state != State.AwaitClientFinished || type != HandshakeType.Finished)
                throw new TlsAlertException(TlsAlert.UnexpectedMessage, $"{type} at the Handshake level in state {_state}.");
            HandleClientFinished(message);
        }
    }

    /// <summary>Takes one whole handshake message, header included, off the front of a level's stream.</summary>
    private bool TryReadMessage(CryptoStreamReassembler stream, out HandshakeType type, out byte[] message)
    {
        var available = stream.Available;
        type = default;
        message = [];
        if (available.Length < HandshakeHeaderLength)
            return false;
        var length = (available[1] << 16) | (available[2] << 8) | available[3];
        if (length > _options.MaxCryptoBufferBytes - HandshakeHeaderLength)
        {
            throw new QuicTransportException(QuicTransportErrorCode.CryptoBufferExceeded,
                $"A handshake message of {length} bytes exceeds the CRYPTO buffer.", (ulong)Frames.FrameType.Crypto);
        }

        if (available.Length < HandshakeHeaderLength + length)
            return false;
        type = (HandshakeType)available[0];
        message = available[..(HandshakeHeaderLength + length)].ToArray();
        stream.Consume(message.Length);
        return true;
    }

    private void HandleClientHello(byte[] message)
    {
        var hello = ClientHello.Parse(message.AsSpan(HandshakeHeaderLength));
        ValidateClientHello(hello);

        var suite = SelectCipherSuite(hello);
        if (_state == State.AwaitSecondClientHello && suite != _suite)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "The second ClientHello changed the cipher suite.");
        _suite = suite;
        // RFC 8446 §4.1.2: the second ClientHello repeats the first apart from key_share, cookie, early_data and
        // padding. The server name is checked because it picks the certificate and was already acted on.
        if (_state == State.AwaitSecondClientHello && hello.ServerName != _serverName)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "The second ClientHello changed the server name.");

        var certificate = SelectCertificate(hello.ServerName)
            ?? throw new TlsAlertException(hello.ServerName is null ? TlsAlert.HandshakeFailure : TlsAlert.UnrecognizedName,
                $"No certificate for server name '{hello.ServerName}'.");
        // RFC 8446 §4.4.3: the signature scheme must be one the client offered.
        if (!hello.SignatureAlgorithms!.Contains((ushort)certificate.Scheme))
            throw new TlsAlertException(TlsAlert.HandshakeFailure, $"The client does not accept {certificate.Scheme} signatures.");

        _applicationProtocol = SelectApplicationProtocol(hello);
        _serverName = hello.ServerName;
        // RFC 9001 §8.2: the transport parameters are checked as soon as they arrive; errors are TRANSPORT_PARAMETER_ERROR.
        ClientTransportParameters = TransportParameterCodec.Decode(hello.QuicTransportParameters, sentByServer: false);

        var share = SelectKeyShare(hello, out var retryGroup);
        if (_state == State.AwaitClientHello)
        {
            _transcript = IncrementalHash.CreateHash(suite.HashAlgorithm());
            if (share is null)
            {
                SendHelloRetryRequest(message, retryGroup);
                return;
            }
        }

        _transcript!.AppendData(message);
        SendServerFlight(share!, certificate);
    }

    private ServerCertificate? SelectCertificate(string? serverName)
    {
        try
        {
            return _options.CertificateSelector.Select(serverName);
        }
        catch (Exception e)
        {
            // A failing selector (a certificate store being rotated, a bug) fails this handshake only, as a TLS
            // internal_error the connection can close with, rather than an arbitrary exception from the state machine.
            throw new TlsAlertException(TlsAlert.InternalError, $"The certificate selector failed for '{serverName}'.", e);
        }
    }

    private static void ValidateClientHello(ClientHello hello)
    {
        // RFC 8446 §4.2.1: without supported_versions listing 0x0304 the client wants TLS 1.2 or older.
        if (hello.SupportedVersions is null || !hello.SupportedVersions.Contains(Tls13))
            throw new TlsAlertException(TlsAlert.ProtocolVersion, "The client does not offer TLS 1.3.");
        // RFC 9001 §8.4: QUIC has no middlebox compatibility mode, so legacy_session_id must be empty.
        if (hello.LegacySessionId.Length != 0)
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, "ClientHello with a non-empty legacy_session_id.");
        // RFC 9001 §8.2: quic_transport_parameters is mandatory.
        if (hello.QuicTransportParameters is null)
            throw new TlsAlertException(TlsAlert.MissingExtension, "No quic_transport_parameters extension.");
        // RFC 8446 §9.2: a ClientHello without a PSK must carry signature_algorithms, supported_groups and key_share.
        if (hello.SignatureAlgorithms is null)
            throw new TlsAlertException(TlsAlert.MissingExtension, "No signature_algorithms extension.");
        if (hello.SupportedGroups is null)
            throw new TlsAlertException(TlsAlert.MissingExtension, "No supported_groups extension.");
        if (hello.KeyShares is null)
            throw new TlsAlertException(TlsAlert.MissingExtension, "No key_share extension.");
        // RFC 8446 §4.2.8: every share must be for a group the client lists in supported_groups.
        foreach (var share in hello.KeyShares)
        {
            if (!hello.SupportedGroups.Contains(share.Group))
                throw new TlsAlertException(TlsAlert.IllegalParameter, $"Key share for group 0x{share.Group:x4} not in supported_groups.");
        }
    }

    private QuicCipherSuite SelectCipherSuite(ClientHello hello)
    {
        foreach (var suite in _options.CipherSuites)
        {
            if (hello.CipherSuites.Contains((ushort)suite))
                return suite;
        }

        throw new TlsAlertException(TlsAlert.HandshakeFailure, "No cipher suite in common.");
    }

    private string SelectApplicationProtocol(ClientHello hello)
    {
        // RFC 9001 §8.1: QUIC requires ALPN; no agreement closes the connection with no_application_protocol.
        if (hello.ApplicationProtocols is null)
            throw new TlsAlertException(TlsAlert.NoApplicationProtocol, "The client sent no ALPN extension.");
        foreach (var protocol in _options.ApplicationProtocols)
        {
            if (hello.ApplicationProtocols.Contains(protocol))
                return protocol;
        }

        throw new TlsAlertException(TlsAlert.NoApplicationProtocol, $"None of the client's protocols [{string.Join(", ", hello.ApplicationProtocols)}] is served.");
    }

    /// <summary>The share to use, or null with the group a HelloRetryRequest should ask for.</summary>
    private KeyShareEntry? SelectKeyShare(ClientHello hello, out NamedGroup retryGroup)
    {
        retryGroup = default;
        if (_retryGroup is { } wanted)
        {
            // RFC 8446 §4.1.2: the second ClientHello replaces key_share with a single share for the requested group.
            if (hello.KeyShares!.Count != 1 || hello.KeyShares[0].Group != (ushort)wanted)
                throw new TlsAlertException(TlsAlert.IllegalParameter, $"The second ClientHello has no single key share for {wanted}.");
            _group = wanted;
            return hello.KeyShares[0];
        }

        foreach (var group in _options.Groups)
        {
            var share = hello.KeyShares!.FirstOrDefault(s => s.Group == (ushort)group);
            if (share is not null && KeyExchanges.IsSupported(group))
            {
                _group = group;
                return share;
            }
        }

        foreach (var group in _options.Groups)
        {
            if (hello.SupportedGroups!.Contains((ushort)group) && KeyExchanges.IsSupported(group))
            {
                retryGroup = group;
                return null;
            }
        }

        throw new TlsAlertException(TlsAlert.HandshakeFailure, "No key exchange group in common.");
    }

    private void SendHelloRetryRequest(byte[] clientHello, NamedGroup group)
    {
        _retryGroup = group;
        // RFC 8446 §4.4.1: ClientHello1 enters the transcript as message_hash(Hash(ClientHello1)).
        var hashLength = _suite.SecretLength();
        var clientHelloHash = _suite.HashAlgorithm() == HashAlgorithmName.SHA384 ? SHA384.HashData(clientHello) : SHA256.HashData(clientHello);
        _transcript!.AppendData([(byte)HandshakeType.MessageHash, 0, 0, (byte)hashLength]);
        _transcript.AppendData(clientHelloHash);
        var retry = HandshakeMessageWriter.HelloRetryRequest([], _suite, group, []);
        _transcript.AppendData(retry);
        _events.Enqueue(new HandshakeDataReady(EncryptionLevel.Initial, retry));
        _state = State.AwaitSecondClientHello;
    }

    private void SendServerFlight(KeyShareEntry clientShare, ServerCertificate certificate)
    {
        var transcript = _transcript!;
        byte[] sharedSecret;
        byte[] serverHello;
        using (var keyExchange = KeyExchanges.Create(_group))
        {
            sharedSecret = keyExchange.DeriveSharedSecret(clientShare.KeyExchange);
            serverHello = HandshakeMessageWriter.ServerHello(RandomNumberGenerator.GetBytes(32), [], _suite, _group, keyExchange.PublicKey);
        }

        transcript.AppendData(serverHello);
        _events.Enqueue(new HandshakeDataReady(EncryptionLevel.Initial, serverHello));

        var schedule = _keySchedule = new TlsKeySchedule(_suite);
        schedule.SetSharedSecret(sharedSecret, transcript.GetCurrentHash());
        CryptographicOperations.ZeroMemory(sharedSecret);
        _events.Enqueue(new TrafficSecretsReady(EncryptionLevel.Handshake, _suite,
            schedule.ClientHandshakeTrafficSecret!, schedule.ServerHandshakeTrafficSecret!));

        var flight = new TlsWriter(1024);
        Append(flight, HandshakeMessageWriter.EncryptedExtensions(_applicationProtocol!, _serverTransportParameters, _serverName is not null));
        Append(flight, HandshakeMessageWriter.Certificate(certificate.Chain));
        var signature = certificate.Sign(CertificateVerifyContent.ForServer(transcript.GetCurrentHash()));
        Append(flight, HandshakeMessageWriter.CertificateVerify(certificate.Scheme, signature));
        var verifyData = schedule.ComputeFinishedVerifyData(schedule.ServerHandshakeTrafficSecret!, transcript.GetCurrentHash());
        Append(flight, HandshakeMessageWriter.Finished(verifyData));
        _events.Enqueue(new HandshakeDataReady(EncryptionLevel.Handshake, flight.ToArray()));

        // RFC 8446 §7.1: application secrets and the client's expected Finished both cover ClientHello..server Finished.
        var throughServerFinished = transcript.GetCurrentHash();
        schedule.DeriveApplicationSecrets(throughServerFinished);
        _expectedClientFinished = schedule.ComputeFinishedVerifyData(schedule.ClientHandshakeTrafficSecret!, throughServerFinished);
        // RFC 9001 §5.7: the server may send 1-RTT data now, but must not process received 1-RTT packets before the
        // handshake completes; the connection enforces that with the HandshakeCompleted event.
        _events.Enqueue(new TrafficSecretsReady(EncryptionLevel.OneRtt, _suite,
            schedule.ClientApplicationTrafficSecret!, schedule.ServerApplicationTrafficSecret!));
        _state = State.AwaitClientFinished;

        void Append(TlsWriter writer, byte[] handshakeMessage)
        {
            transcript.AppendData(handshakeMessage);
            writer.WriteBytes(handshakeMessage);
        }
    }

    private void HandleClientFinished(byte[] message)
    {
        var verifyData = message.AsSpan(HandshakeHeaderLength);
        // RFC 8446 §4.4.4: a Finished that does not verify is decrypt_error.
        if (verifyData.Length != _expectedClientFinished!.Length)
            throw new TlsAlertException(TlsAlert.DecodeError, $"Finished of {verifyData.Length} bytes, {_expectedClientFinished.Length} expected.");
        if (!CryptographicOperations.FixedTimeEquals(verifyData, _expectedClientFinished))
            throw new TlsAlertException(TlsAlert.DecryptError, "The client's Finished does not verify.");
        _state = State.Complete;
        _events.Enqueue(new HandshakeCompleted(_applicationProtocol!, _serverName, _suite, _group, ClientTransportParameters!));
    }
}
