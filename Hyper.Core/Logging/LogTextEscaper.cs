using System.Text;

namespace Hyper.Core.Logging;

/// <summary>
/// Appends client-controlled text to a log line so that it cannot forge lines or fields. Apache's rule
/// (mod_log_config, "for security reasons"): control characters become <c>\xHH</c>, and <c>"</c> and <c>\</c> are
/// escaped with a backslash, because the default format quotes the request line, Referer and User-Agent.
/// Kestrel passes request-target bytes 0x01–0x1F through to the path (docs/security.md, a log-injection risk); this is
/// where Hyper stops them reaching a log file raw.
/// </summary>
internal static class LogTextEscaper
{
    /// <summary>Appends UTF-16 text (the decoded path, say).</summary>
    public static void Append(StringBuilder line, ReadOnlySpan<char> text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!NeedsEscape(c)) continue;
            line.Append(text[start..i]);
            AppendEscape(line, c);
            start = i + 1;
        }
        line.Append(text[start..]);
    }

    /// <summary>Appends Latin-1 bytes (header values and the query string are bytes on the wire).</summary>
    public static void Append(StringBuilder line, ReadOnlySpan<byte> latin1)
    {
        foreach (var b in latin1)
        {
            var c = (char)b;
            if (NeedsEscape(c)) AppendEscape(line, c);
            else line.Append(c);
        }
    }

    // C0 and C1 controls (U+0085 is NEL), DEL, and the Unicode line and paragraph separators.
    private static bool NeedsEscape(char c) =>
        c < 0x20 || c is '"' or '\\' || (c >= 0x7F && c <= 0x9F) || c is '\u2028' or '\u2029';

    private static void AppendEscape(StringBuilder line, char c)
    {
        if (c is '"' or '\\')
        {
            line.Append('\\').Append(c);
            return;
        }
        line.Append(c <= 0xFF ? "\\x" : "\\u");
        line.Append(((int)c).ToString(c <= 0xFF ? "x2" : "x4", System.Globalization.CultureInfo.InvariantCulture));
    }
}
