using System.Buffers.Binary;
using Hyper.Http2.Hpack;

namespace Hyper.Fuzz.Targets;

/// <summary>
/// FZ-03: the HPACK decoder (RFC 7541) fed a sequence of header blocks that share one dynamic table, as the blocks
/// of one connection do. Input format: each block is a 2-byte big-endian length and that many bytes; a short last
/// block takes what is left. Invariants: only <see cref="HpackDecodingException"/> (which includes the header list
/// limit) escapes; a block never decodes more than the list limit plus the field that crossed it; never more
/// fields than the field limit.
/// </summary>
public sealed class HpackDecoderTarget : IFuzzTarget
{
    public const int MaxHeaderListSize = 4096;
    public const int MaxFieldCount = 32;

    public string Name => "hpack-decoder";

    public void Run(ReadOnlySpan<byte> input)
    {
        var decoder = new HpackDecoder(maxDynamicTableSize: 256, MaxHeaderListSize, MaxFieldCount);
        var sink = new CountingSink();
        while (!input.IsEmpty)
        {
            ReadOnlySpan<byte> block;
            if (input.Length < 2) { block = input; input = default; }
            else
            {
                var length = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(input), input.Length - 2);
                block = input.Slice(2, length);
                input = input[(2 + length)..];
            }

            sink.Reset();
            try
            {
                decoder.Decode(block, sink);
            }
            catch (HpackDecodingException)
            {
                // RFC 9113 §4.3: a decoding error ends the connection, and the table with it.
                return;
            }
            finally
            {
                // RFC 9113 §6.5.2 counts name + value + 32 per field.
                if (sink.ListSize - sink.LastFieldSize > MaxHeaderListSize)
                    throw new FuzzInvariantException($"a block decoded {sink.ListSize} bytes of fields, over the {MaxHeaderListSize} limit by more than one field");
                if (sink.Count > MaxFieldCount)
                    throw new FuzzInvariantException($"a block decoded {sink.Count} fields, over the limit of {MaxFieldCount}");
            }
        }
    }

    private sealed class CountingSink : IHeaderSink
    {
        public long ListSize { get; private set; }
        public long LastFieldSize { get; private set; }
        public int Count { get; private set; }

        public void Reset() => (ListSize, LastFieldSize, Count) = (0, 0, 0);

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed)
        {
            LastFieldSize = name.Length + value.Length + 32;
            ListSize += LastFieldSize;
            Count++;
        }
    }
}
