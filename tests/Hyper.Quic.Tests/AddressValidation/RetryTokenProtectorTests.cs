using System.Security.Cryptography;
using Hyper.Quic.AddressValidation;
using Hyper.Quic.Packets;

namespace Hyper.Quic.Tests.AddressValidation;

/// <summary>RFC 9000 §8.1.2-§8.1.3: Retry tokens bound to address and original DCID, expiring.</summary>
public sealed class RetryTokenProtectorTests
{
    private static readonly byte[] Address = [127, 0, 0, 1, 0x11, 0x51];
    private static readonly byte[] Odcid = [1, 2, 3, 4, 5, 6, 7, 8];
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static RetryTokenProtector Protector(byte[]? key = null) => new(key ?? Enumerable.Repeat((byte)0x42, 32).ToArray(), TimeSpan.FromSeconds(10));

    private static byte[] Seal(RetryTokenProtector protector)
    {
        var token = new byte[RetryTokenProtector.MaxTokenLength];
        var length = protector.Seal(Address, Odcid, Now, token);
        return token[..length];
    }

    [Fact]
    public void SealThenValidate_SameAddressWithinLifetime_ReturnsOriginalConnectionId()
    {
        using var protector = Protector();
        var token = Seal(protector);

        protector.Validate(token, Address, Now.AddSeconds(9), out var odcid).Should().Be(RetryTokenStatus.Valid);

        odcid.Should().Be(new ConnectionId(Odcid));
    }

    [Fact]
    public void Validate_AfterLifetime_IsExpired()
    {
        using var protector = Protector();
        var token = Seal(protector);

        protector.Validate(token, Address, Now.AddSeconds(11), out _).Should().Be(RetryTokenStatus.Expired);
        protector.Validate(token, Address, Now.AddSeconds(10), out _).Should().Be(RetryTokenStatus.Expired);
    }

    [Fact]
    public void Validate_OtherAddress_IsInvalid()
    {
        using var protector = Protector();
        var token = Seal(protector);

        protector.Validate(token, [127, 0, 0, 1, 0x11, 0x52], Now, out _).Should().Be(RetryTokenStatus.Invalid);
    }

    [Fact]
    public void Validate_TamperedForgedOrOtherKey_IsInvalid()
    {
        using var protector = Protector();
        using var otherServer = Protector(RandomNumberGenerator.GetBytes(32));
        var token = Seal(protector);
        var tampered = (byte[])token.Clone();
        tampered[20] ^= 0x01;

        protector.Validate(tampered, Address, Now, out _).Should().Be(RetryTokenStatus.Invalid);
        protector.Validate(RandomNumberGenerator.GetBytes(token.Length), Address, Now, out _).Should().Be(RetryTokenStatus.Invalid);
        protector.Validate(token[..20], Address, Now, out _).Should().Be(RetryTokenStatus.Invalid);
        protector.Validate([], Address, Now, out _).Should().Be(RetryTokenStatus.Invalid);
        otherServer.Validate(token, Address, Now, out _).Should().Be(RetryTokenStatus.Invalid);
    }

    [Fact]
    public void Seal_TwiceForSameClient_GivesDifferentTokens()
    {
        using var protector = Protector();

        Seal(protector).Should().NotEqual(Seal(protector));
    }
}
