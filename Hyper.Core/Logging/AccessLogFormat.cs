using System.Text;
using Hyper.Core.Configuration;

namespace Hyper.Core.Logging;

/// <summary>
/// A Gunicorn/Hypercorn access-log format string, parsed once into segments so that rendering a line is a walk over
/// a list: no regular expression and no dictionary of atoms per request (Hypercorn builds one per request).
/// </summary>
/// <remarks>
/// Grammar, as Python's <c>%</c> operator with a mapping reads it: <c>%(name)s</c> is an atom, <c>%%</c> is a
/// literal <c>%</c>. Python's flags and width (<c>%(h)-15s</c>) are skipped, and any conversion letter is read as
/// <c>s</c>. A lone <c>%</c> or an unclosed <c>%(</c> is a startup error naming the option, where Python would
/// raise at the first request.
/// </remarks>
internal sealed class AccessLogFormat
{
    private const string OptionKey = "access_log_format";

    private AccessLogFormat(string text, IReadOnlyList<AccessLogSegment> segments)
    {
        Text = text;
        Segments = segments;
    }

    /// <summary>The format string as configured.</summary>
    public string Text { get; }

    public IReadOnlyList<AccessLogSegment> Segments { get; }

    /// <summary>The format of <see cref="HyperOptions.DefaultAccessLogFormat"/>.</summary>
    public static AccessLogFormat Default { get; } = Parse(HyperOptions.DefaultAccessLogFormat);

    /// <exception cref="OptionsValidationException">The format is malformed.</exception>
    public static AccessLogFormat Parse(string format)
    {
        var segments = new List<AccessLogSegment>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            if (c != '%')
            {
                literal.Append(c);
                i++;
                continue;
            }
            if (i + 1 >= format.Length)
                throw new OptionsValidationException(OptionKey, $"incomplete '%' at the end of '{format}'");
            if (format[i + 1] == '%')
            {
                literal.Append('%');
                i += 2;
                continue;
            }
            if (format[i + 1] != '(')
                throw new OptionsValidationException(OptionKey, $"'%' at position {i} must be followed by '(name)s' or '%'");

            var close = format.IndexOf(')', i + 2);
            if (close < 0)
                throw new OptionsValidationException(OptionKey, $"'%(' at position {i} is not closed");
            var name = format.Substring(i + 2, close - i - 2);
            i = SkipConversion(format, close + 1, i);

            if (literal.Length > 0)
            {
                segments.Add(new AccessLogSegment(AccessLogAtom.Literal, literal.ToString()));
                literal.Clear();
            }
            segments.Add(Atom(name));
        }
        if (literal.Length > 0) segments.Add(new AccessLogSegment(AccessLogAtom.Literal, literal.ToString()));
        return new AccessLogFormat(format, segments);
    }

    // Python's conversion spec after the key: flags, width, precision, then one conversion letter.
    private static int SkipConversion(string format, int i, int atomStart)
    {
        while (i < format.Length && format[i] is '-' or '+' or ' ' or '#' or '.' or (>= '0' and <= '9')) i++;
        if (i >= format.Length || !char.IsAsciiLetter(format[i]))
            throw new OptionsValidationException(OptionKey, $"the atom at position {atomStart} lacks its conversion letter (e.g. 's')");
        return i + 1;
    }

    private static AccessLogSegment Atom(string name)
    {
        var atom = name switch
        {
            "h" => AccessLogAtom.RemoteAddress,
            "l" => AccessLogAtom.Dash,
            "u" => AccessLogAtom.User,
            "t" => AccessLogAtom.Time,
            "r" => AccessLogAtom.RequestLine,
            "R" => AccessLogAtom.RequestLineWithQuery,
            "m" => AccessLogAtom.Method,
            "U" => AccessLogAtom.Path,
            "Uq" => AccessLogAtom.PathWithQuery,
            "q" => AccessLogAtom.Query,
            "H" => AccessLogAtom.Protocol,
            "s" => AccessLogAtom.Status,
            "st" => AccessLogAtom.StatusPhrase,
            "S" => AccessLogAtom.Scheme,
            "B" => AccessLogAtom.ResponseLength,
            "b" => AccessLogAtom.ResponseLengthClf,
            "f" => AccessLogAtom.Referer,
            "a" => AccessLogAtom.UserAgent,
            "T" => AccessLogAtom.DurationSeconds,
            "M" => AccessLogAtom.DurationMilliseconds,
            "D" => AccessLogAtom.DurationMicroseconds,
            "L" => AccessLogAtom.DurationDecimalSeconds,
            "p" => AccessLogAtom.ProcessId,
            _ => AccessLogAtom.Unknown,
        };
        if (atom != AccessLogAtom.Unknown) return new AccessLogSegment(atom);

        // `{Name}i`, `{Name}o`, `{Name}e`: Hypercorn lower-cases the whole key, so all three match case-insensitively.
        if (name.Length >= 3 && name[0] == '{' && name[^2] == '}')
        {
            var inner = name[1..^2];
            var kind = char.ToLowerInvariant(name[^1]) switch
            {
                'i' => AccessLogAtom.RequestHeader,
                'o' => AccessLogAtom.ResponseHeader,
                'e' => AccessLogAtom.EnvironmentVariable,
                _ => AccessLogAtom.Unknown,
            };
            if (kind != AccessLogAtom.Unknown && inner.Length > 0)
            {
                return new AccessLogSegment(kind, inner)
                {
                    NameBytes = Encoding.Latin1.GetBytes(inner.ToLowerInvariant()),
                };
            }
        }
        return new AccessLogSegment(AccessLogAtom.Unknown, name);
    }
}
