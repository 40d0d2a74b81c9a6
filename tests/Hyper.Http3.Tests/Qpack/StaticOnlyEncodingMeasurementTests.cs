using System.Buffers;
using System.Text;
using Hyper.Http3.Qpack;
using Xunit.Abstractions;

namespace Hyper.Http3.Tests.Qpack;

/// <summary>
/// The measurement behind the static-only encoder (docs/http3.md): the encoded size of typical responses with the
/// static table alone, against the same responses with a dynamic table (the test encoder, 4096 octets, every
/// section acknowledged before the next, which is the dynamic table's best case).
/// </summary>
public sealed class StaticOnlyEncodingMeasurementTests(ITestOutputHelper output)
{
    private static readonly (string Name, string Value)[] TypicalResponse =
    [
        (":status", "200"), ("content-type", "text/html; charset=utf-8"), ("content-length", "5120"),
        ("date", "Mon, 07 Dec 2026 16:00:00 GMT"), ("server", "hyper"), ("cache-control", "no-cache"),
        ("vary", "accept-encoding"), ("x-request-id", "0f6c1d2e-8a7b-4c3d-9e1f-2a3b4c5d6e7f"),
    ];

    [Fact]
    public void StaticOnly_TypicalResponse_Size_AndDynamicTableSavings()
    {
        var staticOnly = new ArrayBufferWriter<byte>();
        QpackEncoder.WriteSectionPrefix(staticOnly);
        foreach (var (name, value) in TypicalResponse) QpackEncoder.WriteFieldLine(staticOnly, Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value));

        var encoderStream = new ArrayBufferWriter<byte>();
        var dynamic = new Support.TestDynamicEncoder(4096, encoderStream);
        var fields = TypicalResponse.Select(f => (Encoding.ASCII.GetBytes(f.Name), Encoding.ASCII.GetBytes(f.Value))).ToList();
        var first = dynamic.EncodeSection(fields);
        var afterFirst = encoderStream.WrittenCount;
        var second = dynamic.EncodeSection(fields);
        var afterSecond = encoderStream.WrittenCount;

        // The realistic repeat: date, length and request id change with every response.
        var varying = fields.Select(f => Encoding.ASCII.GetString(f.Item1) switch
        {
            "date" => (f.Item1, "Mon, 07 Dec 2026 16:00:01 GMT"u8.ToArray()),
            "content-length" => (f.Item1, "734"u8.ToArray()),
            "x-request-id" => (f.Item1, "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"u8.ToArray()),
            _ => f,
        }).ToList();
        var third = dynamic.EncodeSection(varying);
        var afterThird = encoderStream.WrittenCount;

        output.WriteLine($"static-only section: {staticOnly.WrittenCount} octets per response");
        output.WriteLine($"dynamic, first response: {first.Length} octets + {afterFirst} on the encoder stream");
        output.WriteLine($"dynamic, identical repeat: {second.Length} octets + {afterSecond - afterFirst} on the encoder stream");
        output.WriteLine($"dynamic, repeat with new date, length and id: {third.Length} octets + {afterThird - afterSecond} on the encoder stream");

        // The static-only section must stay compact: Huffman and static references bring it well under the raw text.
        var raw = TypicalResponse.Sum(f => f.Name.Length + f.Value.Length);
        staticOnly.WrittenCount.Should().BeLessThan(raw);
        second.Length.Should().BeLessThan(staticOnly.WrittenCount, "a repeat with every entry acknowledged is the dynamic table's gain");
    }
}
