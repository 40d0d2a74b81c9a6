using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Hyper.Core.Application;

namespace Hyper.Core.Logging;

/// <summary>
/// Renders entries with a Gunicorn/Hypercorn format string (Gunicorn's access-log atoms), compiled once by
/// <see cref="AccessLogFormat"/>. Rendering appends straight into the caller's builder: no per-request dictionary,
/// and no string per atom except where .NET has none to give (the Basic user name).
/// </summary>
internal sealed class AccessLogFormatter(AccessLogFormat format) : IAccessLogFormatter
{
    private static readonly string[] MonthAbbreviations =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public AccessLogFormatter(string format) : this(AccessLogFormat.Parse(format)) { }

    /// <summary>The compiled format string.</summary>
    public AccessLogFormat Template { get; } = format;

    /// <summary>Renders with a fresh builder; for tests and occasional use. The server uses the other overload.</summary>
    public string Render(AccessLogEntry entry)
    {
        var line = new StringBuilder(256);
        Format(entry, line);
        return line.ToString();
    }

    public void Format(AccessLogEntry entry, StringBuilder line)
    {
        var segments = Template.Segments;
        for (var i = 0; i < segments.Count; i++) AppendAtom(line, segments[i], entry);
    }

    /// <summary>Appends the value of one atom; missing values render `-`.</summary>
    public static void AppendAtom(StringBuilder line, in AccessLogSegment segment, AccessLogEntry entry)
    {
        var scope = entry.Scope;
        var ci = CultureInfo.InvariantCulture;
        switch (segment.Atom)
        {
            case AccessLogAtom.Literal: line.Append(segment.Argument); break;
            case AccessLogAtom.RemoteAddress: AppendRemoteAddress(line, scope.Client); break;
            case AccessLogAtom.User: AppendUser(line, scope.Headers); break;
            case AccessLogAtom.Time: AppendTime(line, entry.Timestamp); break;
            case AccessLogAtom.RequestLine: AppendRequestLine(line, scope, withQuery: false); break;
            case AccessLogAtom.RequestLineWithQuery: AppendRequestLine(line, scope, withQuery: true); break;
            case AccessLogAtom.Method: LogTextEscaper.Append(line, scope.Method); break;
            case AccessLogAtom.Path: LogTextEscaper.Append(line, scope.Path); break;
            case AccessLogAtom.PathWithQuery: AppendPathWithQuery(line, scope); break;
            case AccessLogAtom.Query: LogTextEscaper.Append(line, scope.QueryString.Span); break;
            case AccessLogAtom.Protocol: line.Append(scope.HttpVersion); break;
            case AccessLogAtom.Status:
                if (entry.Status is { } status) line.Append(ci, $"{status}");
                else line.Append('-');
                break;
            case AccessLogAtom.StatusPhrase: AppendStatusPhrase(line, entry.Status); break;
            case AccessLogAtom.Scheme: line.Append(scope.Scheme); break;
            case AccessLogAtom.ResponseLength: line.Append(ci, $"{ResponseLength(entry)}"); break;
            case AccessLogAtom.ResponseLengthClf:
                var length = ResponseLength(entry);
                if (length == 0) line.Append('-');
                else line.Append(ci, $"{length}");
                break;
            case AccessLogAtom.Referer: AppendHeader(line, scope.Headers, "referer"u8); break;
            case AccessLogAtom.UserAgent: AppendHeader(line, scope.Headers, "user-agent"u8); break;
            case AccessLogAtom.DurationSeconds: line.Append(ci, $"{entry.Duration.Ticks / TimeSpan.TicksPerSecond}"); break;
            case AccessLogAtom.DurationMilliseconds: line.Append(ci, $"{entry.Duration.Ticks / TimeSpan.TicksPerMillisecond}"); break;
            case AccessLogAtom.DurationMicroseconds: line.Append(ci, $"{DurationMicroseconds(entry)}"); break;
            case AccessLogAtom.DurationDecimalSeconds:
                var us = DurationMicroseconds(entry);
                line.Append(ci, $"{us / 1_000_000}.{us % 1_000_000:D6}");
                break;
            case AccessLogAtom.ProcessId: line.Append(ci, $"<{Environment.ProcessId}>"); break;
            case AccessLogAtom.RequestHeader: AppendHeader(line, scope.Headers, segment.NameBytes); break;
            case AccessLogAtom.ResponseHeader: AppendHeader(line, entry.ResponseHeaders, segment.NameBytes); break;
            case AccessLogAtom.EnvironmentVariable: AppendEnvironmentVariable(line, segment.Argument); break;
            default: line.Append('-'); break;
        }
    }

    /// <summary>
    /// `b`/`B`: the response's Content-Length when the application set a valid one, else the body bytes actually
    /// sent. Hypercorn reads only the header, so chunked and streamed responses log `-` there (a known complaint).
    /// </summary>
    public static long ResponseLength(AccessLogEntry entry)
    {
        if (HeaderFields.TryGet(entry.ResponseHeaders, "content-length"u8, out var value)
            && Utf8Parser.TryParse(value.Span, out long length, out var consumed)
            && consumed == value.Length && length >= 0)
        {
            return length;
        }
        return entry.ResponseBodyBytes;
    }

    public static long DurationMicroseconds(AccessLogEntry entry) => entry.Duration.Ticks / (TimeSpan.TicksPerMillisecond / 1000);

    /// <summary>
    /// `h`: <c>ip:port</c>, with IPv6 in brackets so the port stays readable; `-` for a unix socket (Hypercorn
    /// prints Python's <c>None</c> there).
    /// </summary>
    public static void AppendRemoteAddress(StringBuilder line, IPEndPoint? client)
    {
        if (client is null)
        {
            line.Append('-');
            return;
        }
        var address = client.Address.IsIPv4MappedToIPv6 ? client.Address.MapToIPv4() : client.Address;
        if (address.AddressFamily == AddressFamily.InterNetworkV6) line.Append(CultureInfo.InvariantCulture, $"[{address}]:{client.Port}");
        else line.Append(CultureInfo.InvariantCulture, $"{address}:{client.Port}");
    }

    // `t`: Apache's `[%d/%b/%Y:%H:%M:%S %z]`, with English month names whatever the machine's culture.
    private static void AppendTime(StringBuilder line, DateTimeOffset time)
    {
        var offset = time.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        line.Append(CultureInfo.InvariantCulture,
            $"[{time.Day:D2}/{MonthAbbreviations[time.Month - 1]}/{time.Year:D4}:{time.Hour:D2}:{time.Minute:D2}:{time.Second:D2} {sign}{offset.Hours:D2}{offset.Minutes:D2}]");
    }

    private static void AppendRequestLine(StringBuilder line, HttpScope scope, bool withQuery)
    {
        LogTextEscaper.Append(line, scope.Method);
        line.Append(' ');
        if (withQuery) AppendPathWithQuery(line, scope);
        else LogTextEscaper.Append(line, scope.Path);
        line.Append(' ').Append(scope.HttpVersion);
    }

    private static void AppendPathWithQuery(StringBuilder line, HttpScope scope)
    {
        LogTextEscaper.Append(line, scope.Path);
        if (scope.QueryString.IsEmpty) return;
        line.Append('?');
        LogTextEscaper.Append(line, scope.QueryString.Span);
    }

    private static void AppendStatusPhrase(StringBuilder line, int? status)
    {
        if (status is not { } code) line.Append('-');
        else if (StatusPhrases.Get(code) is { } phrase) line.Append(phrase);
        else line.Append(CultureInfo.InvariantCulture, $"<???{code}???>");
    }

    private static void AppendHeader(StringBuilder line, IReadOnlyList<HeaderField> headers, ReadOnlySpan<byte> name)
    {
        if (HeaderFields.TryGet(headers, name, out var value)) LogTextEscaper.Append(line, value.Span);
        else line.Append('-');
    }

    private static void AppendEnvironmentVariable(StringBuilder line, string name)
    {
        if (EnvironmentValue(name) is { } value) LogTextEscaper.Append(line, value);
        else line.Append('-');
    }

    /// <summary>
    /// A variable for `{Var}e`. Hypercorn lower-cases these keys, so a variable matches whatever its case; an exact
    /// match wins.
    /// </summary>
    public static string? EnvironmentValue(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (value is not null) return value;
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (string.Equals((string)variable.Key, name, StringComparison.OrdinalIgnoreCase)) return (string?)variable.Value;
        }
        return null;
    }

    /// <summary>`u`: the user name of RFC 7617 Basic credentials (Gunicorn logs it; Hypercorn always logs `-`).</summary>
    private static void AppendUser(StringBuilder line, IReadOnlyList<HeaderField> headers)
    {
        if (BasicUser(headers) is { } user) LogTextEscaper.Append(line, user);
        else line.Append('-');
    }

    /// <summary>The user-id of RFC 7617 Basic credentials (the part before the first colon), or null.</summary>
    public static string? BasicUser(IReadOnlyList<HeaderField> headers)
    {
        if (!HeaderFields.TryGet(headers, "authorization"u8, out var value)) return null;
        var span = value.Span.Trim((byte)' ');
        // RFC 9110 §11.1: the auth-scheme is case-insensitive.
        if (span.Length <= 6 || !Ascii.EqualsIgnoreCase(span[..6], "basic "u8)) return null;
        var encoded = span[6..].TrimStart((byte)' ');
        if (encoded.Length > 1024) return null;
        Span<byte> decoded = stackalloc byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (Base64.DecodeFromUtf8(encoded, decoded, out _, out var written) != System.Buffers.OperationStatus.Done) return null;
        var credentials = decoded[..written];
        var colon = credentials.IndexOf((byte)':');
        if (colon < 0) return null;
        // RFC 7617 §2.1: the charset parameter is UTF-8 in practice.
        return Encoding.UTF8.GetString(credentials[..colon]);
    }
}
