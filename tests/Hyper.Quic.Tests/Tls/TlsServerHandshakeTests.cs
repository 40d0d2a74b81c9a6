using Hyper.Quic.Crypto;
using Hyper.Quic.Tls;

namespace Hyper.Quic.Tests.Tls;

public sealed class TlsServerHandshakeTests
{
    public static TheoryData<QuicCipherSuite, NamedGroup, bool> SuitesGroupsAndKeys()
    {
        var data = new TheoryData<QuicCipherSuite, NamedGroup, bool>();
        foreach (var suite in Enum.GetValues<QuicCipherSuite>())
        {
            foreach (var group in Enum.GetValues<NamedGroup>())
            {
                data.Add(suite, group, false);
                data.Add(suite, group, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SuitesGroupsAndKeys))]
    public void Handshake_EverySuiteGroupAndKeyType_CompletesWithMatchingSecrets(QuicCipherSuite suite, NamedGroup group, bool rsa)
    {
        using var certificate = new ServerCertificate(rsa ? TestCertificates.Rsa : TestCertificates.Ecdsa);
        using var harness = new HandshakeHarness(
            new TestTlsClient { CipherSuites = [suite], KeyShareGroups = [group] },
            HandshakeHarness.DefaultOptions(certificate));

        harness.Run();

        harness.Client.IsComplete.Should().BeTrue();
        harness.Server.IsComplete.Should().BeTrue();
        harness.Client.Suite.Should().Be(suite);
        harness.Client.Group.Should().Be(group);
        harness.Client.ReceivedHelloRetryRequest.Should().BeFalse();
        AssertSecretsMatch(harness, suite);
        var completed = harness.ServerEvents.OfType<HandshakeCompleted>().Single();
        completed.Suite.Should().Be(suite);
        completed.Group.Should().Be(group);
        completed.ApplicationProtocol.Should().Be("h3");
        completed.ServerName.Should().Be("localhost");
        completed.ClientTransportParameters.InitialSourceConnectionId.Should().Be(harness.Client.TransportParameters.InitialSourceConnectionId);
        harness.Client.ApplicationProtocol.Should().Be("h3");
        harness.Client.ServerAcknowledgedServerName.Should().BeTrue();
        harness.Client.ServerTransportParameters!.InitialMaxData.Should().Be(HandshakeHarness.ServerParameters.InitialMaxData);
        harness.Client.ServerCertificate!.RawData.Should().Equal((rsa ? TestCertificates.Rsa : TestCertificates.Ecdsa).RawData);
    }

    [Fact]
    public void Handshake_EventsComeInTheOrderThePacketLayerNeedsThem()
    {
        using var harness = new HandshakeHarness(new TestTlsClient());

        harness.Run();

        harness.ServerEvents.Select(e => e switch
        {
            HandshakeDataReady d => $"data {d.Level}",
            TrafficSecretsReady s => $"secrets {s.Level}",
            HandshakeCompleted => "completed",
            _ => "?",
        }).Should().Equal("data Initial", "secrets Handshake", "data Handshake", "secrets OneRtt", "completed");
    }

    [Theory]
    [InlineData(NamedGroup.X25519, NamedGroup.Secp256r1)]
    [InlineData(NamedGroup.Secp256r1, NamedGroup.X25519)]
    public void Handshake_NoShareTheServerTakes_SendsHelloRetryRequestAndCompletes(NamedGroup clientShare, NamedGroup serverGroup)
    {
        var options = HandshakeHarness.DefaultOptions(new ServerCertificate(TestCertificates.Ecdsa));
        options = new TlsServerOptions
        {
            CertificateSelector = options.CertificateSelector,
            ApplicationProtocols = options.ApplicationProtocols,
            Groups = [serverGroup],
        };
        using var harness = new HandshakeHarness(new TestTlsClient { KeyShareGroups = [clientShare] }, options);

        harness.Run();

        harness.Client.ReceivedHelloRetryRequest.Should().BeTrue();
        harness.Server.SentHelloRetryRequest.Should().BeTrue();
        harness.Client.Group.Should().Be(serverGroup);
        harness.Server.IsComplete.Should().BeTrue();
        AssertSecretsMatch(harness, QuicCipherSuite.Aes128GcmSha256);
    }

    [Theory]
    [InlineData(QuicCipherSuite.Aes128GcmSha256)]
    [InlineData(QuicCipherSuite.Aes256GcmSha384)]
    [InlineData(QuicCipherSuite.ChaCha20Poly1305Sha256)]
    public void Handshake_EmptyKeyShareList_HelloRetryRequestForTheServersFirstGroup(QuicCipherSuite suite)
    {
        using var harness = new HandshakeHarness(new TestTlsClient { CipherSuites = [suite], KeyShareGroups = [] });

        harness.Run();

        harness.Client.ReceivedHelloRetryRequest.Should().BeTrue();
        harness.Client.Group.Should().Be(NamedGroup.X25519);
        harness.Server.IsComplete.Should().BeTrue();
        AssertSecretsMatch(harness, suite);
    }

    [Fact]
    public void Handshake_ClientHelloFedByteByByte_Completes()
    {
        using var harness = new HandshakeHarness(new TestTlsClient())
        {
            Split = data => Enumerable.Range(0, data.Length).Select(i => (i, 1)),
        };

        harness.Run();

        harness.Server.IsComplete.Should().BeTrue();
    }

    [Fact]
    public void Handshake_ClientHelloInReversedOverlappingFrames_Completes()
    {
        // Like Chromium's "chaos protection": pieces out of order, some repeated and overlapping.
        using var harness = new HandshakeHarness(new TestTlsClient())
        {
            Split = data =>
            {
                var pieces = new List<(int, int)>();
                for (var at = 0; at < data.Length; at += 97)
                    pieces.Add((at, Math.Min(150, data.Length - at)));
                pieces.Reverse();
                pieces.Add((10, 20));
                return pieces;
            },
        };

        harness.Run();

        harness.Server.IsComplete.Should().BeTrue();
    }

    [Fact]
    public void Handshake_SeededRandomSplits_AllComplete()
    {
        var random = new Random(1234);
        for (var round = 0; round < 30; round++)
        {
            using var harness = new HandshakeHarness(new TestTlsClient { KeyShareGroups = round % 2 == 0 ? [NamedGroup.X25519] : [] })
            {
                Split = data =>
                {
                    var cuts = Enumerable.Range(0, random.Next(1, 12)).Select(_ => random.Next(1, data.Length)).Append(0).Append(data.Length)
                        .Distinct().Order().ToArray();
                    return cuts.Zip(cuts.Skip(1), (a, b) => (a, b - a)).OrderBy(_ => random.Next()).ToList();
                },
            };

            harness.Run();

            harness.Server.IsComplete.Should().BeTrue($"round {round}");
        }
    }

    [Fact]
    public void Handshake_ChromiumShapedHello_TwoPacketsOutOfOrder_PicksX25519WithoutRetry()
    {
        // Chromium's hello: no SNI for an IP host, an X25519MLKEM768 share (0x11ec, 1216 bytes) before X25519, ECH
        // GREASE and ALPS, about 1.9 KB in CRYPTO frames shuffled across two Initial packets.
        var random = new Random(42);
        var client = new TestTlsClient
        {
            ServerName = null,
            SupportedGroups = [(NamedGroup)0x11ec, NamedGroup.X25519, NamedGroup.Secp256r1, (NamedGroup)0x0018],
            ForeignKeyShares = [(0x11ec, RandomBytes(random, 1216))],
            SignatureAlgorithms = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201],
            ExtraExtensions = w =>
            {
                TestTlsClient.Extension(w, (ExtensionType)0xfe0d, x => x.WriteBytes(RandomBytes(random, 200))); // ECH GREASE
                TestTlsClient.Extension(w, (ExtensionType)0x44cd, x => x.WriteBytes([0, 3, 2, (byte)'h', (byte)'3'])); // ALPS
                TestTlsClient.Extension(w, (ExtensionType)0x001b, x => x.WriteBytes([2, 0, 2])); // compress_certificate
            },
        };
        using var harness = new HandshakeHarness(client)
        {
            // Packet 1 holds the first half in two frames, packet 2 the second half in three; packet 2 arrives first.
            Split = data =>
            {
                var half = data.Length / 2;
                var third = (data.Length - half) / 3;
                return [(half + 2 * third, data.Length - half - 2 * third), (half, third), (half + third, third), (half / 2, half - half / 2), (0, half / 2)];
            },
        };

        harness.Run();

        harness.Client.Outgoing.Should().BeEmpty();
        harness.Server.IsComplete.Should().BeTrue();
        harness.Client.ReceivedHelloRetryRequest.Should().BeFalse();
        harness.Client.Group.Should().Be(NamedGroup.X25519);
    }

    [Fact]
    public void Handshake_SelectorThrows_InternalErrorAndTheHandshakeIsDead()
    {
        var options = new TlsServerOptions { CertificateSelector = new ThrowingSelector(), ApplicationProtocols = ["h3"] };
        using var harness = new HandshakeHarness(new TestTlsClient(), options);

        var act = harness.Run;

        var alert = act.Should().Throw<TlsAlertException>().Which;
        alert.Alert.Should().Be(TlsAlert.InternalError);
        alert.InnerException.Should().BeOfType<IOException>();
    }

    [Fact]
    public void Handshake_ServerNameSelectsTheCertificate()
    {
        using var rsa = new ServerCertificate(TestCertificates.Rsa);
        using var ecdsa = new ServerCertificate(TestCertificates.Ecdsa);
        var selector = new DictionaryCertificateSelector(ecdsa, new Dictionary<string, ServerCertificate> { ["rsa.example"] = rsa });
        var options = new TlsServerOptions { CertificateSelector = selector, ApplicationProtocols = ["h3"] };
        using var harness = new HandshakeHarness(new TestTlsClient { ServerName = "rsa.example" }, options);

        harness.Run();

        selector.Requests.Should().Equal("rsa.example");
        harness.Client.ServerCertificate!.RawData.Should().Equal(TestCertificates.Rsa.RawData);
    }

    [Fact]
    public void Handshake_NoServerName_DefaultCertificateAndNoServerNameAcknowledgement()
    {
        using var harness = new HandshakeHarness(new TestTlsClient { ServerName = null });

        harness.Run();

        harness.Server.IsComplete.Should().BeTrue();
        harness.Client.ServerAcknowledgedServerName.Should().BeFalse();
        harness.ServerEvents.OfType<HandshakeCompleted>().Single().ServerName.Should().BeNull();
    }

    [Fact]
    public void Handshake_AlpnFollowsTheServersPreference()
    {
        var options = new TlsServerOptions
        {
            CertificateSelector = new DictionaryCertificateSelector(new ServerCertificate(TestCertificates.Ecdsa)),
            ApplicationProtocols = ["h3", "hq-interop"],
        };
        using var harness = new HandshakeHarness(new TestTlsClient { ApplicationProtocols = ["hq-interop", "h3"] }, options);

        harness.Run();

        harness.Client.ApplicationProtocol.Should().Be("h3");
    }

    [Fact]
    public void OneRttSecrets_FeedPacketKeysAndKeyUpdate_SameOnBothSides()
    {
        using var harness = new HandshakeHarness(new TestTlsClient());
        harness.Run();
        var secrets = harness.Secrets(EncryptionLevel.OneRtt);

        var serverWrite = PacketKeys.Derive(secrets.Suite, secrets.ServerSecret);
        var clientRead = PacketKeys.Derive(secrets.Suite, harness.Client.Schedule.ServerApplicationTrafficSecret!);

        clientRead.Key.Should().Equal(serverWrite.Key);
        clientRead.Iv.Should().Equal(serverWrite.Iv);
        TlsKeySchedule.NextApplicationTrafficSecret(secrets.Suite, secrets.ServerSecret)
            .Should().Equal(serverWrite.NextGeneration().Secret, "the key update hook and PacketKeys use the same \"quic ku\" step");
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private sealed class ThrowingSelector : IServerCertificateSelector
    {
        public ServerCertificate? Select(string? serverName) => throw new IOException("certificate store unavailable");
    }

    private static void AssertSecretsMatch(HandshakeHarness harness, QuicCipherSuite suite)
    {
        var schedule = harness.Client.Schedule;
        var handshake = harness.Secrets(EncryptionLevel.Handshake);
        var oneRtt = harness.Secrets(EncryptionLevel.OneRtt);
        handshake.Suite.Should().Be(suite);
        oneRtt.Suite.Should().Be(suite);
        handshake.ClientSecret.Should().HaveCount(suite.SecretLength()).And.Equal(schedule.ClientHandshakeTrafficSecret);
        handshake.ServerSecret.Should().Equal(schedule.ServerHandshakeTrafficSecret);
        oneRtt.ClientSecret.Should().Equal(schedule.ClientApplicationTrafficSecret);
        oneRtt.ServerSecret.Should().Equal(schedule.ServerApplicationTrafficSecret);
        handshake.ClientSecret.Should().NotEqual(handshake.ServerSecret);
        oneRtt.ClientSecret.Should().NotEqual(handshake.ClientSecret);
    }
}
