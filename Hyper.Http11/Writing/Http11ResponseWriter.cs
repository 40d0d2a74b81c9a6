using System.Buffers;
using System.Buffers.Text;
using Hyper.Core.Application;

namespace Hyper.Http11.Writing;

/// <summary>
/// Writes the bytes of a response head (RFC 9112 §4, §5):
/// <code>
/// status-line = HTTP-version SP status-code SP [ reason-phrase ] CRLF
/// field-line  = field-name ":" OWS field-value OWS CRLF
/// </code>
/// Field names are written as the application gave them; validation happens before anything is written.
/// </summary>
internal static class Http11ResponseWriter
{
    public static void WriteStatusLine(IBufferWriter<byte> output, int status)
    {
        Write(output, "HTTP/1.1 "u8);
        WriteNumber(output, status);
        Write(output, " "u8);
        Write(output, ReasonPhrases.For(status));
        Write(output, "\r\n"u8);
    }

    public static void WriteFields(IBufferWriter<byte> output, IReadOnlyList<HeaderField> fields)
    {
        for (var i = 0; i < fields.Count; i++) WriteField(output, fields[i].Name.Span, fields[i].Value.Span);
    }

    public static void WriteField(IBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Write(output, name);
        Write(output, ": "u8);
        Write(output, value);
        Write(output, "\r\n"u8);
    }

    public static void WriteContentLength(IBufferWriter<byte> output, long length)
    {
        Write(output, "content-length: "u8);
        WriteNumber(output, length);
        Write(output, "\r\n"u8);
    }

    public static void WriteEndOfHead(IBufferWriter<byte> output) => Write(output, "\r\n"u8);

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return;
        output.Write(bytes);
    }

    private static void WriteNumber(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }
}
