using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hyper.Quic.Crypto;
using Hyper.Quic.Tls;

namespace Hyper.Quic.Tests.Tls;

/// <summary>
/// RFC 8448 §3, "Simple 1-RTT Handshake": the published handshake messages and secrets. The trace is TLS over TCP,
/// but the key schedule, transcript, message encodings and CertificateVerify are the same ones QUIC uses.
/// </summary>
public sealed class Rfc8448Tests
{
    private static readonly byte[] ClientHelloMessage = Convert.FromHexString(
        "010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7000006130113031302010000910000000b" +
        "0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400230000003300260024001d002099" +
        "381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b0003020304000d0020001e0403050306030203080408" +
        "05080604010501060102010402050206020202002d00020101001c00024001");

    private static readonly byte[] ServerHelloMessage = Convert.FromHexString(
        "020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800130100002e00330024001d0020c98288" +
        "76112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304");

    private static readonly byte[] EncryptedExtensionsMessage = Convert.FromHexString(
        "080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000");

    private static readonly byte[] CertificateDer = Convert.FromHexString(
        "308201ac30820115a003020102020102300d06092a864886f70d01010b0500300e310c300a06035504031303727361301e170d31363037" +
        "33303031323335395a170d3236303733303031323335395a300e310c300a0603550403130372736130819f300d06092a864886f70d0101" +
        "01050003818d0030818902818100b4bb498f8279303d980836399b36c6988c0c68de55e1bdb826d3901a2461eafd2de49a91d015abbc9a" +
        "95137ace6c1af19eaa6af98c7ced43120998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda430846748030530ef0461c8c" +
        "a9d9efbfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f0203010001a31a301830090603551d1304023000300b06" +
        "03551d0f0404030205a0300d06092a864886f70d01010b05000381810085aad2a0e5b9276b908c65f73a7267170618a54c5f8a7b337d2d" +
        "f7a594365417f2eae8f8a58c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd335e5e67f2dbf102702e608ccae6bec1fc63a42a" +
        "99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0a8b2f759409ba3eac9d91d402dcc0cc8f8961229ac9187b42b4de1");

    private static readonly byte[] CertificateVerifySignature = Convert.FromHexString(
        "5a747c5d88fa9bd2e55ab085a61015b7211f824cd484145ab3ff52f1fda8477b0b7abc90db78e2d33a5c141a078653fa6bef780c5ea248" +
        "eeaaa785c4f394cab6d30bbe8d4859ee511f602957b15411ac027671459e46445c9ea58c181e818e95b8c3fb0bf3278409d3be152a3da5" +
        "043e063dda65cdf5aea20d53dfacd42f74f3");

    private static readonly byte[] SharedSecret = Convert.FromHexString("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d");

    [Fact]
    public void KeySchedule_HandshakeAndApplicationSecretsAndBothFinished_MatchTheTrace()
    {
        var schedule = new TlsKeySchedule(QuicCipherSuite.Aes128GcmSha256);
        using var transcript = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        transcript.AppendData(ClientHelloMessage);
        transcript.AppendData(ServerHelloMessage);
        transcript.GetCurrentHash().Should().Equal(Convert.FromHexString("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8"));

        schedule.SetSharedSecret(SharedSecret, transcript.GetCurrentHash());

        schedule.ClientHandshakeTrafficSecret.Should().Equal(Convert.FromHexString("b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21"));
        schedule.ServerHandshakeTrafficSecret.Should().Equal(Convert.FromHexString("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38"));

        transcript.AppendData(EncryptedExtensionsMessage);
        transcript.AppendData(HandshakeMessageWriter.Certificate([CertificateDer]));
        transcript.AppendData(HandshakeMessageWriter.CertificateVerify(SignatureScheme.RsaPssRsaeSha256, CertificateVerifySignature));
        var serverFinished = schedule.ComputeFinishedVerifyData(schedule.ServerHandshakeTrafficSecret!, transcript.GetCurrentHash());
        serverFinished.Should().Equal(Convert.FromHexString("9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718"));
        transcript.AppendData(HandshakeMessageWriter.Finished(serverFinished));
        var throughServerFinished = transcript.GetCurrentHash();
        throughServerFinished.Should().Equal(Convert.FromHexString("9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13"));

        schedule.DeriveApplicationSecrets(throughServerFinished);

        schedule.ClientApplicationTrafficSecret.Should().Equal(Convert.FromHexString("9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5"));
        schedule.ServerApplicationTrafficSecret.Should().Equal(Convert.FromHexString("a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643"));
        schedule.ComputeFinishedVerifyData(schedule.ClientHandshakeTrafficSecret!, throughServerFinished)
            .Should().Equal(Convert.FromHexString("a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61"));
    }

    [Fact]
    public void ServerMessages_WrittenByteForByte()
    {
        var random = ServerHelloMessage.AsSpan(6, 32);
        var serverKey = Convert.FromHexString("c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f");

        HandshakeMessageWriter.ServerHello(random, [], QuicCipherSuite.Aes128GcmSha256, NamedGroup.X25519, serverKey)
            .Should().Equal(ServerHelloMessage);
        HandshakeMessageWriter.Certificate([CertificateDer])
            .Should().Equal([0x0b, 0x00, 0x01, 0xb9, 0x00, 0x00, 0x01, 0xb5, 0x00, 0x01, 0xb0, .. CertificateDer, 0x00, 0x00]);
        HandshakeMessageWriter.CertificateVerify(SignatureScheme.RsaPssRsaeSha256, CertificateVerifySignature)
            .Should().Equal([0x0f, 0x00, 0x00, 0x84, 0x08, 0x04, 0x00, 0x80, .. CertificateVerifySignature]);
    }

    [Fact]
    public void CertificateVerify_TheTracesRsaPssSignatureVerifiesOverOurContent()
    {
        using var transcript = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        transcript.AppendData(ClientHelloMessage);
        transcript.AppendData(ServerHelloMessage);
        transcript.AppendData(EncryptedExtensionsMessage);
        transcript.AppendData(HandshakeMessageWriter.Certificate([CertificateDer]));
        using var certificate = X509CertificateLoader.LoadCertificate(CertificateDer);
        using var key = certificate.GetRSAPublicKey()!;

        var content = CertificateVerifyContent.ForServer(transcript.GetCurrentHash());

        key.VerifyData(content, CertificateVerifySignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss).Should().BeTrue();
        content[0] = 0x21;
        key.VerifyData(content, CertificateVerifySignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss).Should().BeFalse();
    }

    [Fact]
    public void ClientHello_TheTracesHello_ParsesEveryExtension()
    {
        var hello = ClientHello.Parse(ClientHelloMessage.AsSpan(4));

        hello.ServerName.Should().Be("server");
        hello.CipherSuites.Should().Equal(0x1301, 0x1303, 0x1302);
        hello.SupportedVersions.Should().Equal(0x0304);
        hello.SupportedGroups.Should().Equal(0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104);
        hello.KeyShares.Should().ContainSingle().Which.Group.Should().Be(0x001d);
        hello.KeyShares![0].KeyExchange.Should().Equal(Convert.FromHexString("99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c"));
        hello.SignatureAlgorithms.Should().HaveCount(15).And.Contain(0x0804).And.Contain(0x0403);
        hello.PskKeyExchangeModes.Should().Equal((byte)1);
        hello.ApplicationProtocols.Should().BeNull();
        hello.QuicTransportParameters.Should().BeNull("a TLS-over-TCP hello has none, which the QUIC server rejects");
        hello.LegacySessionId.Should().BeEmpty();
    }
}
