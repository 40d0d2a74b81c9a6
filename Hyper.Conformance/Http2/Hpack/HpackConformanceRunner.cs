using System.Buffers;
using System.Text;
using Hyper.Http2.Hpack;

namespace Hyper.Conformance.Http2.Hpack;

/// <summary>
/// Runs HPACK vectors through Hyper's <see cref="HpackDecoder"/> and <see cref="HpackEncoder"/> at their production
/// defaults (4096-octet table, 64 KiB list, 100 fields) and reports every mismatch as a readable line; an empty
/// result means the vector passed.
/// </summary>
public static class HpackConformanceRunner
{
    /// <summary>Decodes each block of an RFC 7541 Appendix C example in order, checking the list and table size.</summary>
    public static IReadOnlyList<string> Decode(HpackExample example)
    {
        var failures = new List<string>();
        var decoder = new HpackDecoder(maxDynamicTableSize: example.TableSize);
        foreach (var block in example.Blocks)
        {
            if (!TryDecode(decoder, block.Wire, block.Section, failures, out var headers)) break;

            CompareLists(block.Section, block.Headers, headers, failures);
            if (decoder.DynamicTableSize != block.TableSizeAfter)
            {
                failures.Add($"{block.Section}: dynamic table size {decoder.DynamicTableSize}, RFC says {block.TableSizeAfter}");
            }
        }

        return failures;
    }

    /// <summary>
    /// Encodes the example's header lists with our encoder, against a peer that advertised the example's table size,
    /// and decodes them back. Our encoder's choices may differ from the RFC's, so only the lists are compared.
    /// </summary>
    public static IReadOnlyList<string> RoundTrip(HpackExample example) =>
        RoundTrip(example.ToString(), example.TableSize, example.Blocks.Select(b => b.Headers));

    /// <summary>Decodes every case of a story on one decoder, applying each acknowledged table size first.</summary>
    public static IReadOnlyList<string> DecodeStory(HpackStory story)
    {
        var failures = new List<string>();
        var decoder = new HpackDecoder();
        foreach (var storyCase in story.Cases)
        {
            var label = $"{story.Name} seqno {storyCase.SequenceNumber}";
            if (storyCase.Wire is null)
            {
                failures.Add($"{label}: no wire to decode");
                break;
            }

            if (storyCase.HeaderTableSize is { } size) decoder.MaxDynamicTableSize = size;
            if (!TryDecode(decoder, storyCase.Wire, label, failures, out var headers)) break;

            CompareLists(label, storyCase.Headers, headers, failures);
        }

        return failures;
    }

    /// <summary>Encodes every case of a story with one encoder and decodes it back with one decoder.</summary>
    public static IReadOnlyList<string> RoundTripStory(HpackStory story) =>
        RoundTrip(story.Name, 4096, story.Cases.Select(c => c.Headers));

    private static IReadOnlyList<string> RoundTrip(string label, int peerTableSize, IEnumerable<IReadOnlyList<HeaderPair>> lists)
    {
        var failures = new List<string>();
        var encoder = new HpackEncoder();
        encoder.SetPeerMaxTableSize(peerTableSize);
        var decoder = new HpackDecoder(maxDynamicTableSize: peerTableSize);
        var output = new ArrayBufferWriter<byte>();
        var index = 0;
        foreach (var expected in lists)
        {
            var blockLabel = $"{label} block {index++}";
            output.ResetWrittenCount();
            encoder.BeginBlock(output);
            foreach (var header in expected)
            {
                encoder.Encode(Encoding.UTF8.GetBytes(header.Name), Encoding.UTF8.GetBytes(header.Value), sensitive: false, output);
            }

            if (!TryDecode(decoder, output.WrittenSpan.ToArray(), blockLabel, failures, out var decoded)) break;

            CompareLists(blockLabel, expected, decoded, failures);
            if (decoder.DynamicTableSize != encoder.DynamicTableSize)
            {
                failures.Add($"{blockLabel}: decoder table {decoder.DynamicTableSize} octets, encoder table {encoder.DynamicTableSize}");
            }
        }

        return failures;
    }

    private static bool TryDecode(HpackDecoder decoder, byte[] wire, string label, List<string> failures, out List<HeaderPair> headers)
    {
        var collector = new HeaderListCollector();
        headers = collector.Headers;
        try
        {
            decoder.Decode(wire, collector);
            return true;
        }
        catch (HpackDecodingException e)
        {
            failures.Add($"{label}: {e.Reason}: {e.Message}");
            return false;
        }
    }

    private static void CompareLists(string label, IReadOnlyList<HeaderPair> expected, List<HeaderPair> actual, List<string> failures)
    {
        if (expected.SequenceEqual(actual)) return;
        failures.Add($"{label}: expected [{string.Join(", ", expected)}], decoded [{string.Join(", ", actual)}]");
    }
}
