using Hyper.Core.Http;

namespace Hyper.Http11.Parsing;

/// <summary>
/// Parses a chunk-size line (CRLF removed) by the full grammar, so that no byte can be read as the end of
/// the line by one parser and as part of an extension by another (Kestrel CVE-2025-55315, docs/security.md H1-05/H1-06):
/// <code>
/// chunk-size     = 1*HEXDIG                                                     ; RFC 9112 §7.1
/// chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ) ; RFC 9112 §7.1.1
/// chunk-ext-name = token
/// chunk-ext-val  = token / quoted-string
/// </code>
/// Extensions are checked and ignored.
/// </summary>
internal static class ChunkLine
{
    /// <summary>At most 16 hex digits: anything longer cannot fit the Int64 a size is kept in.</summary>
    private const int MaxSizeDigits = 16;

    public static long ParseSize(ReadOnlySpan<byte> line)
    {
        var i = 0;
        ulong size = 0;
        while (i < line.Length && char.IsAsciiHexDigit((char)line[i]))
        {
            if (i == MaxSizeDigits) throw Invalid("chunk-size has more than 16 digits");
            size = (size << 4) | (uint)HexValue(line[i]);
            i++;
        }
        if (i == 0) throw Invalid("chunk-size is not 1*HEXDIG");
        if (size > long.MaxValue) throw Invalid("chunk-size overflows Int64");

        while (i < line.Length)
        {
            // BWS is only allowed before ";": trailing whitespace with no extension after it is refused.
            i = SkipWhitespace(line, i);
            if (i == line.Length || line[i] != (byte)';') throw Invalid("chunk-size is followed by something other than an extension");
            i = SkipWhitespace(line, i + 1);
            var nameEnd = SkipToken(line, i);
            if (nameEnd == i) throw Invalid("chunk extension without a name");
            i = SkipWhitespace(line, nameEnd);
            if (i < line.Length && line[i] == (byte)'=')
            {
                i = SkipWhitespace(line, i + 1);
                var valueEnd = i < line.Length && line[i] == (byte)'"' ? SkipQuotedString(line, i) : SkipToken(line, i);
                if (valueEnd == i) throw Invalid("chunk extension with an empty value");
                i = valueEnd;
            }
        }
        return (long)size;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && FieldSyntax.IsWhitespace(line[i])) i++;
        return i;
    }

    private static int SkipToken(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && FieldSyntax.IsTokenChar(line[i])) i++;
        return i;
    }

    // RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
    //   qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text;  quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
    private static int SkipQuotedString(ReadOnlySpan<byte> line, int start)
    {
        var i = start + 1;
        while (i < line.Length)
        {
            var b = line[i];
            if (b == (byte)'"') return i + 1;
            if (b == (byte)'\\')
            {
                if (i + 1 == line.Length || !IsQuotable(line[i + 1])) throw Invalid("bad quoted-pair in a chunk extension");
                i += 2;
                continue;
            }
            if (!IsQuotable(b)) throw Invalid("control character in a chunk extension");
            i++;
        }
        throw Invalid("unterminated quoted-string in a chunk extension");
    }

    private static bool IsQuotable(byte b) => b == (byte)'\t' || b == (byte)' ' || FieldSyntax.IsFieldVChar(b);

    private static int HexValue(byte b) => b <= (byte)'9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private static Http11ProtocolException Invalid(string detail) => new(Http11RejectReason.InvalidChunkLine, detail);
}
