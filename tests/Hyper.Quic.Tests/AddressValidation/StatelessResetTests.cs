using Hyper.Quic.AddressValidation;

namespace Hyper.Quic.Tests.AddressValidation;

/// <summary>RFC 9000 §10.3.</summary>
public sealed class StatelessResetTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public void Token_IsDeterministicPerConnectionIdAndKey()
    {
        var a = new byte[16];
        var b = new byte[16];
        var other = new byte[16];
        var otherKey = new byte[16];

        StatelessReset.ComputeToken(Key, [1, 2, 3], a);
        StatelessReset.ComputeToken(Key, [1, 2, 3], b);
        StatelessReset.ComputeToken(Key, [1, 2, 4], other);
        StatelessReset.ComputeToken(Key.Reverse().ToArray(), [1, 2, 3], otherKey);

        a.Should().Equal(b);
        a.Should().NotEqual(other);
        a.Should().NotEqual(otherKey);
    }

    [Fact]
    public void Write_ThenDetect_LooksLikeShortHeaderAndEndsInToken()
    {
        var token = new byte[16];
        StatelessReset.ComputeToken(Key, [1, 2, 3], token);
        var datagram = new byte[43];

        StatelessReset.Write(datagram, 43, token);

        (datagram[0] & 0xc0).Should().Be(0x40);
        StatelessReset.IsStatelessReset(datagram, token).Should().BeTrue();
        datagram[^1] ^= 1;
        StatelessReset.IsStatelessReset(datagram, token).Should().BeFalse();
    }

    [Fact]
    public void Detect_DatagramShorterThan21Bytes_IsNotAReset()
    {
        var token = new byte[16];
        var datagram = new byte[20];

        StatelessReset.IsStatelessReset(datagram, token).Should().BeFalse();
        StatelessReset.IsStatelessReset(new byte[21], token).Should().BeTrue();
    }

    [Fact]
    public void Write_BelowMinimumLength_Throws()
    {
        var act = () => StatelessReset.Write(new byte[64], 20, new byte[16]);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
