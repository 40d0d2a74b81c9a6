using Hyper.Http2.Hpack;

namespace Hyper.Http2.Tests.Hpack;

/// <summary>
/// Arbitrary and truncated input: the decoder fails only with <see cref="HpackDecodingException"/>, keeps its table
/// within bounds, and never reports more than the header list limit (docs/security.md, HPACK decoder invariants).
/// </summary>
public sealed class HpackDecoderRobustnessTests
{
    [Fact]
    public void Decode_RandomBlocks_FailOnlyWithHpackErrorsAndKeepInvariants()
    {
        var random = new Random(7541);
        var decoder = new HpackDecoder(maxHeaderListSize: 2048, maxFieldCount: 50);
        for (var i = 0; i < 20_000; i++)
        {
            var block = new byte[random.Next(0, 64)];
            random.NextBytes(block);
            if (i % 3 == 0 && block.Length > 0) block[0] = (byte)(0x40 | (block[0] & 0x3F)); // favour insertions
            var sink = new CountingHeaderSink();

            try
            {
                decoder.Decode(block, sink);
            }
            catch (HpackDecodingException)
            {
                // A real connection ends here. Half the time keep the failed decoder, whose table must still be in
                // bounds, so later blocks exercise a table that random size updates and insertions have reshaped.
                if (i % 2 == 1) decoder = new HpackDecoder(maxHeaderListSize: 2048, maxFieldCount: 50);
            }

            sink.Octets.Should().BeLessThanOrEqualTo(2048);
            sink.Count.Should().BeLessThanOrEqualTo(50);
            decoder.DynamicTableSize.Should().BeLessThanOrEqualTo(decoder.DynamicTableMaxSize);
            decoder.DynamicTableMaxSize.Should().BeLessThanOrEqualTo(decoder.MaxDynamicTableSize);
        }
    }

    [Fact]
    public void Decode_EveryTruncationOfValidBlocks_FailsCleanlyOrDecodesAPrefix()
    {
        string[] blocks =
        [
            "828684418cf1e3c2e5f23a6ba0ab90f4ff", // C.4.1
            "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf".Replace(" ", "", StringComparison.Ordinal), // C.4.3 (bf missing on a fresh decoder)
            "400a637573746f6d2d6b65790d637573746f6d2d686561646572", // C.2.1
            "100870617373776f726406736563726574", // C.2.3
        ];

        foreach (var hex in blocks)
        {
            var block = Convert.FromHexString(hex);
            for (var cut = 0; cut <= block.Length; cut++)
            {
                try
                {
                    new HpackDecoder().Decode(block.AsSpan(0, cut), new CountingHeaderSink());
                }
                catch (HpackDecodingException e)
                {
                    e.Reason.Should().BeOneOf(HpackDecodingReason.Truncated, HpackDecodingReason.InvalidHuffman, HpackDecodingReason.InvalidIndex);
                }
            }
        }
    }
}
