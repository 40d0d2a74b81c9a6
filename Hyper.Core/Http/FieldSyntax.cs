namespace Hyper.Core.Http;

/// <summary>
/// The character classes of RFC 9110 §5 that every HTTP version validates fields against: <c>token</c>
/// for names (§5.6.2) and <c>field-value</c> for values (§5.5). Shared by HTTP/1.1 and HTTP/2 so both
/// reject the same bytes.
/// </summary>
public static class FieldSyntax
{
    // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
    //                          "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    private static readonly bool[] TokenChars = BuildTokenChars();

    private static bool[] BuildTokenChars()
    {
        var table = new bool[256];
        for (var c = '0'; c <= '9'; c++) table[c] = true;
        for (var c = 'a'; c <= 'z'; c++) table[c] = true;
        for (var c = 'A'; c <= 'Z'; c++) table[c] = true;
        foreach (var c in "!#$%&'*+-.^_`|~") table[c] = true;
        return table;
    }

    /// <summary>RFC 9110 §5.6.2 <c>tchar</c>.</summary>
    public static bool IsTokenChar(byte b) => TokenChars[b];

    /// <summary>RFC 9110 §5.6.2 <c>token = 1*tchar</c>.</summary>
    public static bool IsToken(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return false;
        foreach (var b in value)
        {
            if (!TokenChars[b]) return false;
        }
        return true;
    }

    /// <summary>RFC 9110 §5.6.3 whitespace: SP or HTAB.</summary>
    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    /// <summary>RFC 9110 §5.5 <c>field-vchar = VCHAR / obs-text</c>.</summary>
    public static bool IsFieldVChar(byte b) => b is > 0x20 and not 0x7F;

    /// <summary>
    /// RFC 9110 §5.5 <c>field-value = *field-content</c>: visible characters, obs-text, and SP/HTAB
    /// between them. Every other control character (NUL, CR, LF, VT, FF, DEL, …) is refused; the RFC
    /// requires rejecting CR, LF and NUL and calls the rest invalid.
    /// </summary>
    public static bool IsValidFieldValue(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (!IsFieldVChar(b) && !IsWhitespace(b)) return false;
        }
        return value.IsEmpty || (!IsWhitespace(value[0]) && !IsWhitespace(value[^1]));
    }

    /// <summary>
    /// True when a value contains CR, LF or NUL: the bytes that would split or truncate a field on the wire
    /// (RFC 9110 §5.5). Outgoing values are held to this minimum so applications keep obs-text and HTAB.
    /// </summary>
    public static bool ContainsLineBreakOrNul(ReadOnlySpan<byte> value) => value.IndexOfAny((byte)'\r', (byte)'\n', (byte)0) >= 0;

    /// <summary>Removes leading and trailing OWS (SP / HTAB) and nothing else (RFC 9110 §5.5, RFC 9112 §5).</summary>
    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> value)
    {
        var start = 0;
        var end = value.Length;
        while (start < end && IsWhitespace(value[start])) start++;
        while (end > start && IsWhitespace(value[end - 1])) end--;
        return value[start..end];
    }
}
