using System.Security.Cryptography;
using Hyper.Quic.Crypto;

namespace Hyper.Quic.Tests.Crypto;

public sealed class HeaderProtectionTests
{
    // RFC 9001 A.2: client hp key, the sample and the resulting mask.
    private static readonly byte[] ClientHpKey = Convert.FromHexString("9f50449e04a0e810283a1e9933adedd2");
    private static readonly byte[] ClientSample = Convert.FromHexString("d1b1c98dd7689fb8ec11d242b123dc9b");

    private static string Mask(HeaderProtection protection, ReadOnlySpan<byte> sample)
    {
        var mask = new byte[HeaderProtection.MaskLength];
        protection.ComputeMask(sample, mask);
        return Convert.ToHexStringLower(mask);
    }

    [Fact]
    public void AesEcb_A2Sample_GivesA2Mask()
    {
        using var protection = new AesEcbHeaderProtection(ClientHpKey);

        Mask(protection, ClientSample).Should().Be("437b9aec36");
    }

    [Fact]
    public void AesNi_A2Sample_GivesA2Mask()
    {
        if (!AesNiHeaderProtection.IsSupported) return; // The ECB test above covers CPUs without AES instructions.
        using var protection = new AesNiHeaderProtection(ClientHpKey);

        Mask(protection, ClientSample).Should().Be("437b9aec36");
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    public void AesNi_RandomKeysAndSamples_AgreesWithPlatformAes(int keyLength)
    {
        if (!AesNiHeaderProtection.IsSupported) return;
        for (var i = 0; i < 50; i++)
        {
            var key = RandomNumberGenerator.GetBytes(keyLength);
            var sample = RandomNumberGenerator.GetBytes(16);
            using var intrinsic = new AesNiHeaderProtection(key);
            using var platform = new AesEcbHeaderProtection(key);

            Mask(intrinsic, sample).Should().Be(Mask(platform, sample));
        }
    }

    [Fact]
    public void ChaCha20_A5Sample_GivesA5Mask()
    {
        using var protection = new ChaCha20HeaderProtection(
            Convert.FromHexString("25a282b9e82f06f21f488917a4fc8f1b73573685608597d0efcb076b0ab7a7a4"));

        Mask(protection, Convert.FromHexString("5e5cd55c41f69080575d7999c25a5bfb")).Should().Be("aefefe7d03");
    }

    [Fact]
    public void ChaCha20Block_Rfc8439Section232Vector()
    {
        // RFC 8439 §2.3.2: key 00..1f, counter 1, nonce 000000090000004a00000000.
        var key = new uint[8];
        for (var i = 0; i < 8; i++) key[i] = BitConverter.ToUInt32(Enumerable.Range(4 * i, 4).Select(b => (byte)b).ToArray());
        var block = new byte[64];

        ChaCha20Block.Compute(key, 1, Convert.FromHexString("000000090000004a00000000"), block);

        Convert.ToHexStringLower(block).Should().Be(
            "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e" +
            "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
    }

    [Fact]
    public void Create_PicksTheImplementationForTheSuite()
    {
        using var aes = HeaderProtection.Create(QuicCipherSuite.Aes128GcmSha256, ClientHpKey);
        using var chacha = HeaderProtection.Create(QuicCipherSuite.ChaCha20Poly1305Sha256, new byte[32]);

        Mask(aes, ClientSample).Should().Be("437b9aec36");
        chacha.Should().BeOfType<ChaCha20HeaderProtection>();
    }
}
