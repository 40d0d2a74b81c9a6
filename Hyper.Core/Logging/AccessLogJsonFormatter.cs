using System.Buffers;
using System.Text;
using System.Text.Json;
using Hyper.Core.Application;

namespace Hyper.Core.Logging;

/// <summary>
/// Renders an entry as one JSON object (a JSON Lines record) for log shippers: every atom under a readable name,
/// numbers as numbers, absent values as <c>null</c> rather than <c>-</c>. The `{Name}i`, `{Name}o` and `{Name}e`
/// atoms of the configured format, if any, appear under <c>request_headers</c>, <c>response_headers</c> and
/// <c>environment</c>. JSON string escaping already keeps client bytes from forging lines.
/// </summary>
internal sealed class AccessLogJsonFormatter : IAccessLogFormatter
{
    [ThreadStatic] private static Scratch? t_scratch;

    private readonly AccessLogSegment[] _requestHeaders;
    private readonly AccessLogSegment[] _responseHeaders;
    private readonly AccessLogSegment[] _environment;

    public AccessLogJsonFormatter() : this(AccessLogFormat.Default) { }

    /// <param name="format">Only its header and environment atoms are used.</param>
    public AccessLogJsonFormatter(AccessLogFormat format)
    {
        _requestHeaders = format.Segments.Where(s => s.Atom == AccessLogAtom.RequestHeader).ToArray();
        _responseHeaders = format.Segments.Where(s => s.Atom == AccessLogAtom.ResponseHeader).ToArray();
        _environment = format.Segments.Where(s => s.Atom == AccessLogAtom.EnvironmentVariable).ToArray();
    }

    /// <summary>Renders with a fresh builder; for tests and occasional use.</summary>
    public string Render(AccessLogEntry entry)
    {
        var line = new StringBuilder(512);
        Format(entry, line);
        return line.ToString();
    }

    public void Format(AccessLogEntry entry, StringBuilder line)
    {
        var scratch = t_scratch ??= new Scratch();
        scratch.Bytes.ResetWrittenCount();
        scratch.Writer.Reset(scratch.Bytes);
        WriteEntry(scratch, entry);
        scratch.Writer.Flush();

        var utf8 = scratch.Bytes.WrittenSpan;
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(utf8.Length));
        var count = Encoding.UTF8.GetChars(utf8, chars);
        line.Append(chars, 0, count);
        ArrayPool<char>.Shared.Return(chars);
    }

    private void WriteEntry(Scratch scratch, AccessLogEntry entry)
    {
        var w = scratch.Writer;
        var scope = entry.Scope;
        w.WriteStartObject();
        w.WriteString("time", entry.Timestamp);
        if (scope.Client is null) w.WriteNull("remote_addr");
        else WriteBuilt(scratch, "remote_addr", static (b, e) => AccessLogFormatter.AppendRemoteAddress(b, e.Scope.Client), entry);
        w.WriteString("user", AccessLogFormatter.BasicUser(scope.Headers));
        WriteBuilt(scratch, "request_line",
            static (b, e) => b.Append(e.Scope.Method).Append(' ').Append(e.Scope.Path).Append(' ').Append(e.Scope.HttpVersion), entry);
        w.WriteString("method", scope.Method);
        w.WriteString("path", scope.Path);
        WriteLatin1(scratch, "query", scope.QueryString.Span);
        w.WriteString("protocol", scope.HttpVersion);
        w.WriteString("scheme", scope.Scheme);
        if (entry.Status is { } status)
        {
            w.WriteNumber("status", status);
            w.WriteString("status_phrase", StatusPhrases.Get(status) ?? $"<???{status}???>");
        }
        else
        {
            w.WriteNull("status");
            w.WriteNull("status_phrase");
        }
        w.WriteNumber("bytes", AccessLogFormatter.ResponseLength(entry));
        w.WriteNumber("bytes_sent", entry.ResponseBodyBytes);
        w.WriteNumber("duration_us", AccessLogFormatter.DurationMicroseconds(entry));
        WriteHeader(scratch, "referer", scope.Headers, "referer"u8);
        WriteHeader(scratch, "user_agent", scope.Headers, "user-agent"u8);
        w.WriteNumber("pid", Environment.ProcessId);
        WriteHeaderObject(scratch, "request_headers", _requestHeaders, scope.Headers);
        WriteHeaderObject(scratch, "response_headers", _responseHeaders, entry.ResponseHeaders);
        if (_environment.Length > 0)
        {
            w.WriteStartObject("environment");
            foreach (var variable in _environment) w.WriteString(variable.Argument, AccessLogFormatter.EnvironmentValue(variable.Argument));
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteHeaderObject(Scratch scratch, string name, AccessLogSegment[] atoms, IReadOnlyList<HeaderField> headers)
    {
        if (atoms.Length == 0) return;
        scratch.Writer.WriteStartObject(name);
        foreach (var atom in atoms) WriteHeader(scratch, atom.Argument.ToLowerInvariant(), headers, atom.NameBytes);
        scratch.Writer.WriteEndObject();
    }

    private static void WriteHeader(Scratch scratch, string name, IReadOnlyList<HeaderField> headers, ReadOnlySpan<byte> headerName)
    {
        if (HeaderFields.TryGet(headers, headerName, out var value)) WriteLatin1(scratch, name, value.Span);
        else scratch.Writer.WriteNull(name);
    }

    // Header and query bytes are Latin-1, not necessarily valid UTF-8, so they go through chars.
    private static void WriteLatin1(Scratch scratch, string name, ReadOnlySpan<byte> latin1)
    {
        Span<char> chars = latin1.Length <= 256 ? stackalloc char[latin1.Length] : new char[latin1.Length];
        Encoding.Latin1.GetChars(latin1, chars);
        scratch.Writer.WriteString(name, chars);
    }

    private static void WriteBuilt(Scratch scratch, string name, Action<StringBuilder, AccessLogEntry> build, AccessLogEntry entry)
    {
        var text = scratch.Text.Clear();
        build(text, entry);
        foreach (var chunk in text.GetChunks())
        {
            if (chunk.Length == text.Length)
            {
                scratch.Writer.WriteString(name, chunk.Span);
                return;
            }
            break;
        }
        scratch.Writer.WriteString(name, text.ToString());
    }

    private sealed class Scratch
    {
        public readonly ArrayBufferWriter<byte> Bytes = new(1024);
        public readonly Utf8JsonWriter Writer;
        public readonly StringBuilder Text = new(256);

        public Scratch() => Writer = new Utf8JsonWriter(Bytes);
    }
}
