using Hyper.Http2.Hpack;
using static Hyper.Http2.Tests.Hpack.HpackDecoderTests;

namespace Hyper.Http2.Tests.Hpack;

/// <summary>Dynamic table size updates (RFC 7541 §4.2, §6.3) as the decoder must police them.</summary>
public sealed class HpackDecoderTableSizeTests
{
    private const string CustomKeyWithIndexing = "400a637573746f6d2d6b65790d637573746f6d2d686561646572"; // C.2.1, 55 octets

    [Fact]
    [Trait("rfc", "7541-6.3")]
    public void Decode_SizeUpdateAtStart_ResizesAndEvicts()
    {
        var decoder = new HpackDecoder();
        Decode(decoder, CustomKeyWithIndexing);

        var sink = Decode(decoder, "20" + "82"); // size 0, then :method GET

        sink.Pairs.Should().Equal((":method", "GET"));
        decoder.DynamicTableCount.Should().Be(0);
        decoder.DynamicTableMaxSize.Should().Be(0);
    }

    [Fact]
    [Trait("rfc", "7541-4.2")]
    public void Decode_TwoSizeUpdatesAtStart_AppliesBoth()
    {
        var decoder = new HpackDecoder();
        Decode(decoder, CustomKeyWithIndexing);

        Decode(decoder, "20" + "3fe11f" + CustomKeyWithIndexing); // 0, then 4096, then insert again

        decoder.DynamicTableMaxSize.Should().Be(4096);
        decoder.DynamicTableCount.Should().Be(1, "the first update emptied the table");
    }

    [Fact]
    [Trait("rfc", "7541-4.2")]
    public void Decode_SizeUpdateAfterAField_ThrowsNotAtStart()
    {
        DecodeFails(new HpackDecoder(), "82" + "20").Reason.Should().Be(HpackDecodingReason.TableSizeUpdateNotAtStart);
    }

    [Fact]
    [Trait("rfc", "7541-6.3")]
    public void Decode_SizeUpdateAboveAdvertisedLimit_ThrowsTooLarge()
    {
        DecodeFails(new HpackDecoder(), "3fe21f").Reason.Should().Be(HpackDecodingReason.TableSizeUpdateTooLarge); // 4097
    }

    [Fact]
    [Trait("rfc", "7541-6.3")]
    public void Decode_SizeUpdateUpToARaisedLimit_IsAccepted()
    {
        var decoder = new HpackDecoder { MaxDynamicTableSize = 16384 };

        Decode(decoder, "3fe17f"); // 16384

        decoder.DynamicTableMaxSize.Should().Be(16384);
    }

    [Fact]
    [Trait("rfc", "7541-4.2")]
    public void Decode_AfterLimitLowered_BlockWithoutSizeUpdate_ThrowsMissing()
    {
        var decoder = new HpackDecoder();
        Decode(decoder, CustomKeyWithIndexing);
        decoder.MaxDynamicTableSize = 1024;

        DecodeFails(decoder, "82").Reason.Should().Be(HpackDecodingReason.TableSizeUpdateMissing);
    }

    [Fact]
    [Trait("rfc", "7541-4.2")]
    public void Decode_AfterLimitLowered_EmptyBlock_ThrowsMissing()
    {
        var decoder = new HpackDecoder { MaxDynamicTableSize = 0 };

        DecodeFails(decoder, "").Reason.Should().Be(HpackDecodingReason.TableSizeUpdateMissing);
    }

    [Fact]
    [Trait("rfc", "7541-4.2")]
    public void Decode_AfterLimitLowered_SizeUpdateWithinIt_IsAcceptedOnce()
    {
        var decoder = new HpackDecoder();
        decoder.MaxDynamicTableSize = 100;

        Decode(decoder, "3f45" + "82").Pairs.Should().Equal((":method", "GET")); // 100
        Decode(decoder, "82").Pairs.Should().Equal((":method", "GET"));

        decoder.DynamicTableMaxSize.Should().Be(100);
    }

    [Fact]
    [Trait("rfc", "7541-4.2")]
    public void Decode_AfterLimitLowered_SizeUpdateStillAboveIt_ThrowsTooLarge()
    {
        var decoder = new HpackDecoder { MaxDynamicTableSize = 100 };

        DecodeFails(decoder, "3fe11f").Reason.Should().Be(HpackDecodingReason.TableSizeUpdateTooLarge);
    }

    [Fact]
    public void MaxDynamicTableSize_RaisedOnly_RequiresNoUpdate()
    {
        var decoder = new HpackDecoder { MaxDynamicTableSize = 8192 };

        Decode(decoder, "82").Pairs.Should().Equal((":method", "GET"));
        decoder.DynamicTableMaxSize.Should().Be(4096, "the table changes only when the peer sends an update");
    }

    [Fact]
    [Trait("rfc", "7541-4.4")]
    public void Decode_InsertionsPastTheMaximum_EvictOldest()
    {
        var decoder = new HpackDecoder(maxDynamicTableSize: 100);
        Decode(decoder, "400161017840016201794001630178"); // three 34-octet entries; the first is evicted

        decoder.DynamicTableCount.Should().Be(2);
        Decode(decoder, "bebf").Pairs.Should().Equal(("c", "x"), ("b", "y"));
        DecodeFails(decoder, "c0").Reason.Should().Be(HpackDecodingReason.InvalidIndex);
    }
}
