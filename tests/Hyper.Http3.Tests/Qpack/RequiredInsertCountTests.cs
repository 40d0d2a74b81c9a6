using Hyper.Http3.Qpack;

namespace Hyper.Http3.Tests.Qpack;

/// <summary>RFC 9204 §4.5.1.1.</summary>
public sealed class RequiredInsertCountTests
{
    [Fact]
    public void Zero_EncodesAsZero()
    {
        RequiredInsertCount.Encode(0, 4096).Should().Be(0);
        RequiredInsertCount.TryDecode(0, 4096, totalInserts: 1000, out var value).Should().BeTrue();
        value.Should().Be(0);
    }

    [Fact]
    public void EveryValueTheEncoderCanUse_RoundTripsAcrossWraps()
    {
        const long capacity = 220; // MaxEntries 6, FullRange 12
        for (long totalInserts = 0; totalInserts < 100; totalInserts++)
        {
            // The encoder may reference entries the decoder has not received yet, up to MaxEntries ahead of it, and
            // entries still in the table behind it (at most MaxEntries - 1 behind: the table holds no older one).
            for (var required = Math.Max(1, totalInserts - 5); required <= totalInserts + 6; required++)
            {
                var encoded = RequiredInsertCount.Encode(required, capacity);
                encoded.Should().BeInRange(1, 12);
                RequiredInsertCount.TryDecode(encoded, capacity, totalInserts, out var decoded).Should().BeTrue();
                decoded.Should().Be(required, $"inserts {totalInserts}, required {required}");
            }
        }
    }

    [Fact]
    public void EncodedPastTheFullRange_IsRefused()
    {
        RequiredInsertCount.TryDecode(13, 220, 0, out _).Should().BeFalse();
    }

    [Fact]
    public void WithNoDynamicTable_AnyNonZeroValueIsRefused()
    {
        RequiredInsertCount.TryDecode(1, 0, 0, out _).Should().BeFalse();
    }

    [Fact]
    public void AValueThatUnwrapsToZeroOrBelowTheWindow_IsRefused()
    {
        // MaxEntries 6, FullRange 12, no inserts yet: MaxValue 6; encoded 12 → 11 > 6, and 11 <= FullRange → error.
        RequiredInsertCount.TryDecode(12, 220, 0, out _).Should().BeFalse();
        // Five inserts: MaxValue 11, MaxWrapped 0, encoded 1 unwraps to 0, which no encoder can mean.
        RequiredInsertCount.TryDecode(1, 220, 5, out _).Should().BeFalse();
        // Twelve inserts: MaxValue 18, MaxWrapped 12, encoded 1 unwraps to 12.
        RequiredInsertCount.TryDecode(1, 220, 12, out var value).Should().BeTrue();
        value.Should().Be(12);
    }
}
