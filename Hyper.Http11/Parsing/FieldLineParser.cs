using Hyper.Core.Application;
using Hyper.Core.Http;

namespace Hyper.Http11.Parsing;

/// <summary>
/// Parses one field line (a header or a trailer, CRLF already removed) strictly:
/// <code>
/// field-line = field-name ":" OWS field-value OWS      ; RFC 9112 §5
/// </code>
/// The name is copied out lower-cased, the value copied out without its surrounding OWS.
/// </summary>
internal static class FieldLineParser
{
    public static HeaderField Parse(ReadOnlySpan<byte> line)
    {
        Validate(line, out var name, out var value);
        var lowerName = new byte[name.Length];
        for (var i = 0; i < name.Length; i++) lowerName[i] = ToLowerAscii(name[i]);
        return new HeaderField(lowerName, value.ToArray());
    }

    /// <summary>Validates the line and adds its field to <paramref name="fields"/> (the request-head path: no per-field copy).</summary>
    public static void ParseInto(ReadOnlySpan<byte> line, FieldBuffer fields)
    {
        Validate(line, out var name, out var value);
        fields.Add(name, value);
    }

    private static void Validate(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        // RFC 9112 §5.2: obs-fold (a line starting with SP or HTAB) is rejected, not unfolded.
        if (line.Length > 0 && FieldSyntax.IsWhitespace(line[0]))
            throw new Http11ProtocolException(Http11RejectReason.ObsoleteLineFolding, "obs-fold in the field section");

        var colon = line.IndexOf((byte)':');
        if (colon < 0) throw new Http11ProtocolException(Http11RejectReason.InvalidHeaderField, "field line without a colon");

        // RFC 9112 §5.1: no whitespace is allowed between the field name and colon; a server MUST reject it
        // with 400. The token check covers that and empty or non-tchar names.
        name = line[..colon];
        if (!FieldSyntax.IsToken(name)) throw new Http11ProtocolException(Http11RejectReason.InvalidHeaderField, "field name is not a token");

        // RFC 9110 §5.5: only OWS around the value is stripped; CR, LF, NUL and other CTLs inside are refused.
        value = FieldSyntax.TrimWhitespace(line[(colon + 1)..]);
        if (!FieldSyntax.IsValidFieldValue(value)) throw new Http11ProtocolException(Http11RejectReason.InvalidHeaderField, "field value has a control character");
    }

    private static byte ToLowerAscii(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
}
