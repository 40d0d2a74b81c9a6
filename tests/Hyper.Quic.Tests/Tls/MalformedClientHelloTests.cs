using Hyper.Quic.Crypto;
using Hyper.Quic.Packets;
using Hyper.Quic.Tls;
using Hyper.Quic.Transport;

namespace Hyper.Quic.Tests.Tls;

/// <summary>Every way a ClientHello or client flight can be wrong, each with the alert (or transport error) it must raise.</summary>
public sealed class MalformedClientHelloTests
{
    [Theory]
    [InlineData(ExtensionType.QuicTransportParameters, TlsAlert.MissingExtension)] // RFC 9001 §8.2
    [InlineData(ExtensionType.SignatureAlgorithms, TlsAlert.MissingExtension)] // RFC 8446 §9.2
    [InlineData(ExtensionType.SupportedGroups, TlsAlert.MissingExtension)]
    [InlineData(ExtensionType.KeyShare, TlsAlert.MissingExtension)]
    [InlineData(ExtensionType.SupportedVersions, TlsAlert.ProtocolVersion)] // RFC 8446 §4.2.1: a TLS 1.2 client
    [InlineData(ExtensionType.ApplicationLayerProtocolNegotiation, TlsAlert.NoApplicationProtocol)] // RFC 9001 §8.1
    public void MissingExtension_RaisesItsAlert(ExtensionType omitted, TlsAlert alert)
    {
        var client = new TestTlsClient { Omit = new HashSet<ExtensionType> { omitted } };

        ExpectAlert(client, alert);
    }

    [Fact]
    public void SupportedVersionsWithoutTls13_ProtocolVersion()
    {
        var client = new TestTlsClient
        {
            Omit = new HashSet<ExtensionType> { ExtensionType.SupportedVersions },
            ExtraExtensions = w => TestTlsClient.Extension(w, ExtensionType.SupportedVersions, x => x.WriteBytes([2, 0x03, 0x03])),
        };

        ExpectAlert(client, TlsAlert.ProtocolVersion);
    }

    [Fact]
    public void NoCommonApplicationProtocol_NoApplicationProtocol() =>
        ExpectAlert(new TestTlsClient { ApplicationProtocols = ["h2", "http/1.1"] }, TlsAlert.NoApplicationProtocol);

    [Fact]
    public void NoCommonCipherSuite_HandshakeFailure() =>
        ExpectAlert(new TestTlsClient { CipherSuites = [(QuicCipherSuite)0x1304] }, TlsAlert.HandshakeFailure); // AES-128-CCM

    [Fact]
    public void NoCommonGroup_HandshakeFailure()
    {
        var client = new TestTlsClient
        {
            SupportedGroups = [(NamedGroup)0x0018], // P-384 only
            KeyShareGroups = [],
        };

        ExpectAlert(client, TlsAlert.HandshakeFailure);
    }

    [Fact]
    public void NoSignatureSchemeForTheCertificate_HandshakeFailure() =>
        ExpectAlert(new TestTlsClient { SignatureAlgorithms = [0x0401, 0x0804] }, TlsAlert.HandshakeFailure); // ECDSA certificate

    [Fact]
    public void RsaCertificateWithoutPssOffered_HandshakeFailure()
    {
        var options = HandshakeHarness.DefaultOptions(new ServerCertificate(TestCertificates.Rsa));

        ExpectAlert(new TestTlsClient { SignatureAlgorithms = [0x0401, 0x0403] }, TlsAlert.HandshakeFailure, options);
    }

    [Fact]
    public void UnknownServerName_UnrecognizedName()
    {
        var options = new TlsServerOptions { CertificateSelector = new DictionaryCertificateSelector(null), ApplicationProtocols = ["h3"] };

        ExpectAlert(new TestTlsClient { ServerName = "unknown.example" }, TlsAlert.UnrecognizedName, options);
    }

    [Fact]
    public void DuplicateExtension_IllegalParameter()
    {
        var client = new TestTlsClient
        {
            ExtraExtensions = w => TestTlsClient.Extension(w, ExtensionType.PskKeyExchangeModes, x => x.WriteBytes([1, 1])),
        };

        ExpectAlert(client, TlsAlert.IllegalParameter);
    }

    [Fact]
    public void KeyShareForGroupNotInSupportedGroups_IllegalParameter() =>
        ExpectAlert(new TestTlsClient { SupportedGroups = [NamedGroup.Secp256r1], KeyShareGroups = [NamedGroup.X25519] }, TlsAlert.IllegalParameter);

    [Theory]
    [InlineData(NamedGroup.X25519, 31, 0x09)] // wrong length (RFC 8446 §4.2.8.2)
    [InlineData(NamedGroup.X25519, 32, 0x00)] // all zeros: a small-order point, shared secret all zeros (§7.4.2)
    [InlineData(NamedGroup.Secp256r1, 65, 0x04)] // 04 then zeros: not on the curve
    [InlineData(NamedGroup.Secp256r1, 33, 0x02)] // compressed form is not allowed in TLS 1.3
    public void InvalidKeyShare_IllegalParameter(NamedGroup group, int length, byte first)
    {
        var key = new byte[length];
        key[0] = first;
        var client = new TestTlsClient
        {
            Omit = new HashSet<ExtensionType> { ExtensionType.KeyShare },
            ExtraExtensions = w => TestTlsClient.Extension(w, ExtensionType.KeyShare, x =>
            {
                var list = x.BeginVector(2);
                x.WriteUInt16((ushort)group);
                var k = x.BeginVector(2);
                x.WriteBytes(key);
                x.EndVector(k);
                x.EndVector(list);
            }),
        };

        ExpectAlert(client, TlsAlert.IllegalParameter);
    }

    [Fact]
    public void DuplicateKeyShareGroup_IllegalParameter()
    {
        var client = new TestTlsClient
        {
            Omit = new HashSet<ExtensionType> { ExtensionType.KeyShare },
            ExtraExtensions = w => TestTlsClient.Extension(w, ExtensionType.KeyShare, x =>
            {
                var list = x.BeginVector(2);
                for (var i = 0; i < 2; i++)
                {
                    x.WriteUInt16((ushort)NamedGroup.X25519);
                    var k = x.BeginVector(2);
                    x.WriteBytes(new byte[32]);
                    x.EndVector(k);
                }

                x.EndVector(list);
            }),
        };

        ExpectAlert(client, TlsAlert.IllegalParameter);
    }

    [Fact]
    public void PreSharedKeyNotLast_IllegalParameter()
    {
        // RFC 8446 §4.2.11: pre_shared_key must be the last extension of the ClientHello.
        var client = new TestTlsClient
        {
            ExtraExtensions = w =>
            {
                TestTlsClient.Extension(w, ExtensionType.PreSharedKey, x => x.WriteBytes([0, 0, 0, 0]));
                TestTlsClient.Extension(w, (ExtensionType)0x1a1a, _ => { });
            },
        };

        ExpectAlert(client, TlsAlert.IllegalParameter);
    }

    [Fact]
    public void SecondClientHelloWithAnotherCipherSuite_IllegalParameter()
    {
        using var first = new TestTlsClient { CipherSuites = [QuicCipherSuite.Aes128GcmSha256], KeyShareGroups = [] };
        using var second = new TestTlsClient { CipherSuites = [QuicCipherSuite.Aes256GcmSha384] };
        using var harness = new HandshakeHarness(first);
        var hello = first.WriteClientHello([]);
        harness.Server.ReceiveCryptoData(EncryptionLevel.Initial, 0, hello);
        harness.Server.SentHelloRetryRequest.Should().BeTrue();

        var act = () => harness.Server.ReceiveCryptoData(EncryptionLevel.Initial, (ulong)hello.Length, second.WriteClientHello([NamedGroup.X25519]));

        act.Should().Throw<TlsAlertException>().Which.Alert.Should().Be(TlsAlert.IllegalParameter);
    }

    [Fact]
    public void SecondClientHelloWithAnotherServerName_IllegalParameter()
    {
        using var first = new TestTlsClient { ServerName = "a.example", KeyShareGroups = [] };
        using var second = new TestTlsClient { ServerName = "b.example" };
        using var harness = new HandshakeHarness(first);
        var hello = first.WriteClientHello([]);
        harness.Server.ReceiveCryptoData(EncryptionLevel.Initial, 0, hello);
        harness.Server.SentHelloRetryRequest.Should().BeTrue();

        var act = () => harness.Server.ReceiveCryptoData(EncryptionLevel.Initial, (ulong)hello.Length, second.WriteClientHello([NamedGroup.X25519]));

        act.Should().Throw<TlsAlertException>().Which.Alert.Should().Be(TlsAlert.IllegalParameter);
    }

    [Fact]
    public void CompressionMethodOtherThanNull_IllegalParameter()
    {
        var hello = ValidClientHello();
        var at = 4 + 2 + 32 + 1; // cipher_suites length
        var suitesLength = (hello[at] << 8) | hello[at + 1];
        hello[at + 2 + suitesLength + 1] = 1; // the single compression method

        ExpectAlert(hello, TlsAlert.IllegalParameter);
    }

    [Fact]
    public void LegacyVersionBelowTls12_ProtocolVersion()
    {
        var hello = ValidClientHello();
        hello[5] = 0x01; // legacy_version 0x0301

        ExpectAlert(hello, TlsAlert.ProtocolVersion);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(100)]
    public void TruncatedClientHello_DecodeError(int cut)
    {
        var hello = ValidClientHello();
        var body = hello.AsSpan(4, hello.Length - 4 - cut).ToArray();

        ExpectAlert(Reframe(body), TlsAlert.DecodeError);
    }

    [Fact]
    public void TrailingBytesAfterExtensions_DecodeError() => ExpectAlert(Reframe([.. ValidClientHello().AsSpan(4), 0]), TlsAlert.DecodeError);

    [Fact]
    public void NonEmptyLegacySessionId_ProtocolViolation()
    {
        // RFC 9001 §8.4: QUIC has no middlebox compatibility mode.
        var body = ValidClientHello().AsSpan(4).ToArray();
        byte[] mutated = [.. body.AsSpan(0, 34), 2, 0xaa, 0xbb, .. body.AsSpan(35)];
        using var harness = new HandshakeHarness(new TestTlsClient());

        var act = () => harness.Server.ReceiveCryptoData(EncryptionLevel.Initial, 0, Reframe(mutated));

        act.Should().Throw<QuicTransportException>().Which.ErrorCode.Should().Be(QuicTransportErrorCode.ProtocolViolation);
    }

    [Fact]
    public void InvalidTransportParameters_TransportParameterError()
    {
        // RFC 9000 §18.2: max_udp_payload_size below 1200 is invalid.
        var client = new TestTlsClient
        {
            TransportParameters = new TransportParameters { InitialSourceConnectionId = new ConnectionId([1]), MaxUdpPayloadSize = 1000 },
        };
        using var harness = new HandshakeHarness(client);

        var act = harness.Run;

        act.Should().Throw<QuicTransportException>().Which.ErrorCode.Should().Be(QuicTransportErrorCode.TransportParameterError);
    }

    [Fact]
    public void FirstMessageNotClientHello_UnexpectedMessage() =>
        ExpectAlert(HandshakeMessageWriter.Finished(new byte[32]), TlsAlert.UnexpectedMessage);

    [Fact]
    public void DataAtOneRtt_UnexpectedMessage()
    {
        using var harness = new HandshakeHarness(new TestTlsClient());
        harness.Run();

        var act = () => harness.Server.ReceiveCryptoData(EncryptionLevel.OneRtt, 0, [(byte)HandshakeType.KeyUpdate, 0, 0, 1, 0]);

        act.Should().Throw<TlsAlertException>().Which.Alert.Should().Be(TlsAlert.UnexpectedMessage);
    }

    [Fact]
    public void SecondClientHelloWithoutTheRequestedShare_IllegalParameter()
    {
        using var harness = new HandshakeHarness(new TestTlsClient { KeyShareGroups = [] });
        harness.Server.ReceiveCryptoData(EncryptionLevel.Initial, 0, harness.Client.WriteClientHello([]));
        harness.Server.TryGetEvent(out var retry).Should().BeTrue();
        var retryLength = (ulong)((HandshakeDataReady)retry!).Data.Length;
        retryLength.Should().BeGreaterThan(0);
        var second = harness.Client.WriteClientHello([NamedGroup.Secp256r1]); // HRR asked for X25519

        var act = () => harness.Server.ReceiveCryptoData(EncryptionLevel.Initial, (ulong)harness.Client.WriteClientHello([]).Length, second);

        act.Should().Throw<TlsAlertException>().Which.Alert.Should().Be(TlsAlert.IllegalParameter);
    }

    [Fact]
    public void ClientFinishedThatDoesNotVerify_DecryptError()
    {
        using var harness = new HandshakeHarness(new TestTlsClient());
        var hello = harness.Client.WriteClientHello([NamedGroup.X25519]);
        harness.Server.ReceiveCryptoData(EncryptionLevel.Initial, 0, hello);

        var act = () => harness.Server.ReceiveCryptoData(EncryptionLevel.Handshake, 0, HandshakeMessageWriter.Finished(new byte[32]));

        var alert = act.Should().Throw<TlsAlertException>().Which;
        alert.Alert.Should().Be(TlsAlert.DecryptError);
        alert.TransportErrorCode.Should().Be((QuicTransportErrorCode)0x133, "CRYPTO_ERROR is 0x100 + decrypt_error (51)");
    }

    [Fact]
    public void AfterAFailure_TheHandshakeRefusesMoreData()
    {
        using var harness = new HandshakeHarness(new TestTlsClient());
        var act = () => harness.Server.ReceiveCryptoData(EncryptionLevel.Initial, 0, HandshakeMessageWriter.Finished(new byte[32]));
        act.Should().Throw<TlsAlertException>();

        act.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void CryptoDataFarPastTheReadPosition_CryptoBufferExceeded()
    {
        // Catalogue row Q-08 (quiche CVE-2024-1765): no gap of more than the limit is buffered.
        using var harness = new HandshakeHarness(new TestTlsClient());

        var act = () => harness.Server.ReceiveCryptoData(EncryptionLevel.Initial, CryptoStreamReassembler.DefaultMaxBufferedBytes, [1]);

        act.Should().Throw<QuicTransportException>().Which.ErrorCode.Should().Be(QuicTransportErrorCode.CryptoBufferExceeded);
    }

    [Fact]
    public void HandshakeMessageLongerThanTheBuffer_CryptoBufferExceeded()
    {
        using var harness = new HandshakeHarness(new TestTlsClient());

        var act = () => harness.Server.ReceiveCryptoData(EncryptionLevel.Initial, 0, [(byte)HandshakeType.ClientHello, 0xff, 0xff, 0xff]);

        act.Should().Throw<QuicTransportException>().Which.ErrorCode.Should().Be(QuicTransportErrorCode.CryptoBufferExceeded);
    }

    [Fact]
    public void EarlyDataOffered_HandshakeCompletesWithoutAcceptingIt()
    {
        // The test client fails on any EncryptedExtensions extension it does not expect, early_data included.
        using var harness = new HandshakeHarness(new TestTlsClient
        {
            ExtraExtensions = w => TestTlsClient.Extension(w, ExtensionType.EarlyData, _ => { }),
        });

        harness.Run();

        harness.Server.IsComplete.Should().BeTrue();
    }

    [Fact]
    public void SeededMutations_OnlyTypedErrorsOrAHandshake()
    {
        // Any corruption of a ClientHello ends in a TLS alert, a QUIC transport error or (when the change is harmless)
        // a server flight; never in an exception the connection would not know how to close with.
        var random = new Random(20261207);
        var valid = ValidClientHello();
        var outcomes = new Dictionary<string, int>();
        for (var round = 0; round < 3000; round++)
        {
            var hello = valid.ToArray();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
                hello[random.Next(hello.Length)] = (byte)random.Next(256);
            if (random.Next(4) == 0)
                hello = hello.AsSpan(0, random.Next(4, hello.Length)).ToArray();
            using var harness = new HandshakeHarness(new TestTlsClient());
            string outcome;
            try
            {
                harness.Server.ReceiveCryptoData(EncryptionLevel.Initial, 0, hello);
                outcome = harness.Server.TryGetEvent(out _) ? "flight" : "waiting for more";
            }
            catch (TlsAlertException e)
            {
                outcome = e.Alert.ToString();
            }
            catch (QuicTransportException e)
            {
                outcome = e.ErrorCode.ToString();
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        outcomes.Keys.Should().Contain([nameof(TlsAlert.DecodeError), "flight"]);
        outcomes.Values.Sum().Should().Be(3000);
    }

    private static byte[] ValidClientHello()
    {
        using var client = new TestTlsClient();
        return client.WriteClientHello([NamedGroup.X25519]);
    }

    private static byte[] Reframe(byte[] body) =>
        [(byte)HandshakeType.ClientHello, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static void ExpectAlert(TestTlsClient client, TlsAlert alert, TlsServerOptions? options = null)
    {
        using var harness = new HandshakeHarness(client, options);

        var act = harness.Run;

        var thrown = act.Should().Throw<TlsAlertException>().Which;
        thrown.Alert.Should().Be(alert, thrown.Message);
        thrown.TransportErrorCode.Should().Be(QuicTransportErrorCode.CryptoErrorBase + (ulong)alert);
    }

    private static void ExpectAlert(byte[] clientHello, TlsAlert alert)
    {
        using var harness = new HandshakeHarness(new TestTlsClient());

        var act = () => harness.Server.ReceiveCryptoData(EncryptionLevel.Initial, 0, clientHello);

        act.Should().Throw<TlsAlertException>().Which.Alert.Should().Be(alert);
    }
}
