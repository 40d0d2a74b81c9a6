using System.Buffers;
using System.Buffers.Text;
using Hyper.Core.Application;

namespace Hyper.Http11.Writing;

/// <summary>
/// Frames response content with the chunked transfer coding (RFC 9112 §7.1). An empty write produces no
/// chunk at all, because a zero-size chunk is the last-chunk and would end the body.
/// </summary>
internal static class ChunkedBodyEncoder
{
    public static void WriteChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        var span = output.GetSpan(18);
        Utf8Formatter.TryFormat((ulong)data.Length, span, out var written, new StandardFormat('x'));
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        output.Advance(written);
        output.Write(data);
        output.Write("\r\n"u8);
    }

    /// <summary>RFC 9112 §7.1: <c>last-chunk trailer-section CRLF</c>.</summary>
    public static void WriteLastChunk(IBufferWriter<byte> output, IReadOnlyList<HeaderField>? trailers)
    {
        output.Write("0\r\n"u8);
        if (trailers is not null) Http11ResponseWriter.WriteFields(output, trailers);
        output.Write("\r\n"u8);
    }
}
