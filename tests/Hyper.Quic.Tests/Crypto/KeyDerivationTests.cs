using System.Security.Cryptography;
using Hyper.Quic.Crypto;

namespace Hyper.Quic.Tests.Crypto;

/// <summary>RFC 9001 Appendix A.1 (Initial keys) and A.5 (ChaCha20 keys and the key update secret).</summary>
public sealed class KeyDerivationTests
{
    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [Fact]
    public void InitialSecret_MatchesA1()
    {
        Hex(InitialSecrets.DeriveInitialSecret(Rfc9001Vectors.ClientDestinationConnectionId))
            .Should().Be("7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44");
    }

    [Fact]
    public void ClientInitialSecretAndKeys_MatchA1()
    {
        var (client, _) = InitialSecrets.Derive(Rfc9001Vectors.ClientDestinationConnectionId);
        Hex(client).Should().Be("c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea");

        var keys = PacketKeys.Derive(QuicCipherSuite.Aes128GcmSha256, client);
        Hex(keys.Key).Should().Be("1f369613dd76d5467730efcbe3b1a22d");
        Hex(keys.Iv).Should().Be("fa044b2f42a3fd3b46fb255c");
        Hex(keys.HeaderProtectionKey).Should().Be("9f50449e04a0e810283a1e9933adedd2");
    }

    [Fact]
    public void ServerInitialSecretAndKeys_MatchA1()
    {
        var (_, server) = InitialSecrets.Derive(Rfc9001Vectors.ClientDestinationConnectionId);
        Hex(server).Should().Be("3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b");

        var keys = PacketKeys.Derive(QuicCipherSuite.Aes128GcmSha256, server);
        Hex(keys.Key).Should().Be("cf3a5331653c364c88f0f379b6067e37");
        Hex(keys.Iv).Should().Be("0ac1493ca1905853b0bba03e");
        Hex(keys.HeaderProtectionKey).Should().Be("c206b8d9b9f0f37644430b490eeaa314");
    }

    [Fact]
    public void ChaChaKeysAndKeyUpdate_MatchA5()
    {
        var keys = PacketKeys.Derive(QuicCipherSuite.ChaCha20Poly1305Sha256, Rfc9001Vectors.ChaChaSecret);
        Hex(keys.Key).Should().Be("c6d98ff3441c3fe1b2182094f69caa2ed4b716b65488960a7a984979fb23e1c8");
        Hex(keys.Iv).Should().Be("e0459b3474bdd0e44a41c144");
        Hex(keys.HeaderProtectionKey).Should().Be("25a282b9e82f06f21f488917a4fc8f1b73573685608597d0efcb076b0ab7a7a4");

        var next = keys.NextGeneration();
        Hex(next.Secret).Should().Be("1223504755036d556342ee9361d253421a826c9ecdf3c7148684b36b714881f9");
        // RFC 9001 §6: header protection keys are not updated.
        next.HeaderProtectionKey.Should().Equal(keys.HeaderProtectionKey);
        next.Key.Should().Equal(HkdfExpandLabel.Expand(HashAlgorithmName.SHA256, next.Secret, "quic key", 32));
        next.Key.Should().NotEqual(keys.Key);
    }

    [Fact]
    public void Aes256Suite_UsesSha384AndLongerKeys()
    {
        var secret = Enumerable.Range(0, 48).Select(i => (byte)i).ToArray();
        var keys = PacketKeys.Derive(QuicCipherSuite.Aes256GcmSha384, secret);

        keys.Key.Should().HaveCount(32).And.Equal(HkdfExpandLabel.Expand(HashAlgorithmName.SHA384, secret, "quic key", 32));
        keys.HeaderProtectionKey.Should().HaveCount(32);
        keys.NextGeneration().Secret.Should().HaveCount(48)
            .And.Equal(HkdfExpandLabel.Expand(HashAlgorithmName.SHA384, secret, "quic ku", 48));
    }

    [Theory]
    [InlineData(QuicCipherSuite.Aes128GcmSha256, 1L << 23, 1L << 52)]
    [InlineData(QuicCipherSuite.Aes256GcmSha384, 1L << 23, 1L << 52)]
    [InlineData(QuicCipherSuite.ChaCha20Poly1305Sha256, long.MaxValue, 1L << 36)]
    public void UsageLimits_FollowRfc9001Section6_6(QuicCipherSuite suite, long confidentiality, long integrity)
    {
        suite.ConfidentialityLimit().Should().Be(confidentiality);
        suite.IntegrityLimit().Should().Be(integrity);
    }

    [Fact]
    public void Derive_SecretOfWrongLength_Throws()
    {
        var act = () => PacketKeys.Derive(QuicCipherSuite.Aes256GcmSha384, new byte[32]);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void AeadNonce_IsIvXorPacketNumber_A5()
    {
        var keys = PacketKeys.Derive(QuicCipherSuite.ChaCha20Poly1305Sha256, Rfc9001Vectors.ChaChaSecret);
        using var aead = new PacketAead(keys.Suite, keys.Key, keys.Iv);
        var nonce = new byte[12];

        aead.FormNonce(Rfc9001Vectors.ChaChaPacketNumber, nonce);

        Hex(nonce).Should().Be("e0459b3474bdd0e46d417eb0");
    }
}
