using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Http;
using Hyper.Http3.Qpack;

namespace Hyper.Http3;

/// <summary>
/// Receives one decoded request field section (the head or the trailers) and checks it against RFC 9114 §4.2 and
/// §4.3 as it arrives, the same rules Hyper.Http2 applies to an HTTP/2 header block. A malformed section is only
/// recorded: the connection reads <see cref="Error"/> afterwards and answers H3_MESSAGE_ERROR (§4.1.2).
/// </summary>
internal sealed class Http3RequestFieldCollector : IFieldLineSink
{
    private static readonly byte[] HostName = "host"u8.ToArray();

    private readonly List<HeaderField> _fields = new(16);
    private List<byte[]>? _cookies;
    private bool _trailers;
    private bool _regularSeen;

    public string? Method { get; private set; }
    public byte[]? Scheme { get; private set; }
    public byte[]? Path { get; private set; }
    public byte[]? Authority { get; private set; }
    public byte[]? Protocol { get; private set; }
    public long? ContentLength { get; private set; }
    public bool ExpectsContinue { get; private set; }
    public bool HasHost => Host is not null;

    /// <summary>The host field's value, if the section has one.</summary>
    public byte[]? Host { get; private set; }

    /// <summary>Why the section is malformed, or null.</summary>
    public string? Error { get; private set; }

    public IReadOnlyList<HeaderField> Fields => _fields;

    public void Reset(bool trailers)
    {
        _fields.Clear();
        _cookies?.Clear();
        _trailers = trailers;
        _regularSeen = false;
        Method = null;
        Scheme = Path = Authority = Protocol = null;
        ContentLength = null;
        ExpectsContinue = false;
        Host = null;
        Error = null;
    }

    public void OnFieldLine(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed)
    {
        if (Error is not null) return;
        if (name.IsEmpty)
        {
            Fail("empty field name");
            return;
        }

        if (name[0] == (byte)':')
        {
            OnPseudoHeader(name, value);
            return;
        }

        _regularSeen = true;
        // RFC 9114 §4.2: names are lower-case tokens ("MUST be treated as malformed" otherwise); values carry no CR,
        // LF or NUL and no outer whitespace (§4.2, RFC 9110 §5.5).
        foreach (var b in name)
        {
            if (!FieldSyntax.IsTokenChar(b) || b is >= (byte)'A' and <= (byte)'Z')
            {
                Fail("invalid or upper-case field name");
                return;
            }
        }

        if (!FieldSyntax.IsValidFieldValue(value))
        {
            Fail("invalid field value");
            return;
        }

        // RFC 9114 §4.2: connection-specific fields make the message malformed; TE may only say "trailers".
        if (name.SequenceEqual("connection"u8) || name.SequenceEqual("keep-alive"u8) || name.SequenceEqual("proxy-connection"u8)
            || name.SequenceEqual("transfer-encoding"u8) || name.SequenceEqual("upgrade"u8))
        {
            Fail($"connection-specific field '{Encoding.ASCII.GetString(name)}'");
            return;
        }

        if (name.SequenceEqual("te"u8) && !value.SequenceEqual("trailers"u8))
        {
            Fail("te other than 'trailers'");
            return;
        }

        if (_trailers)
        {
            _fields.Add(new HeaderField(name.ToArray(), value.ToArray()));
            return;
        }

        if (name.SequenceEqual("content-length"u8))
        {
            if (!TryParseLength(value, out var length) || ContentLength is { } earlier && earlier != length)
            {
                Fail("invalid content-length");
                return;
            }

            ContentLength = length;
        }
        else if (name.SequenceEqual("cookie"u8))
        {
            // RFC 9114 §4.2.1: crumbs are joined with "; " for applications written for HTTP/1.1.
            (_cookies ??= []).Add(value.ToArray());
            return;
        }
        else if (name.SequenceEqual("host"u8))
        {
            if (Host is not null)
            {
                Fail("repeated host");
                return;
            }

            Host = value.ToArray();
        }
        else if (name.SequenceEqual("expect"u8) && Ascii.EqualsIgnoreCase(value, "100-continue"u8))
        {
            ExpectsContinue = true;
        }

        _fields.Add(new HeaderField(name.ToArray(), value.ToArray()));
    }

    /// <summary>Adds the joined cookie field, and a Host from :authority, once the section is complete.</summary>
    public void Complete()
    {
        if (Error is not null) return;
        if (_cookies is { Count: > 0 } cookies)
        {
            var joined = new List<byte>();
            for (var i = 0; i < cookies.Count; i++)
            {
                if (i > 0) joined.AddRange("; "u8);
                joined.AddRange(cookies[i]);
            }

            _fields.Add(new HeaderField("cookie"u8.ToArray(), joined.ToArray()));
        }

        // Applications written for HTTP/1.1 read the host header; HTTP/3 carries it as :authority (§4.3.1).
        if (!HasHost && Authority is not null) _fields.Insert(0, new HeaderField(HostName, Authority));
    }

    private void OnPseudoHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        // RFC 9114 §4.3: pseudo-headers come before regular fields, once each, only the request ones, never in trailers.
        if (_trailers || _regularSeen)
        {
            Fail("pseudo-header in trailers or after a regular field");
            return;
        }

        if (name.SequenceEqual(":method"u8))
        {
            if (Method is not null || !FieldSyntax.IsToken(value))
            {
                Fail("bad or repeated :method");
                return;
            }

            Method = Encoding.ASCII.GetString(value);
        }
        else if (name.SequenceEqual(":scheme"u8))
        {
            if (Scheme is not null || value.IsEmpty)
            {
                Fail("bad or repeated :scheme");
                return;
            }

            Scheme = value.ToArray();
        }
        else if (name.SequenceEqual(":path"u8))
        {
            if (Path is not null || !FieldSyntax.IsValidFieldValue(value))
            {
                Fail("bad or repeated :path");
                return;
            }

            Path = value.ToArray();
        }
        else if (name.SequenceEqual(":authority"u8))
        {
            if (Authority is not null || !FieldSyntax.IsValidFieldValue(value))
            {
                Fail("bad or repeated :authority");
                return;
            }

            Authority = value.ToArray();
        }
        else if (name.SequenceEqual(":protocol"u8))
        {
            if (Protocol is not null)
            {
                Fail("repeated :protocol");
                return;
            }

            Protocol = value.ToArray();
        }
        else
        {
            Fail($"unknown pseudo-header '{Encoding.ASCII.GetString(name)}'");
        }
    }

    private void Fail(string reason) => Error ??= reason;

    private static bool TryParseLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.IsEmpty || value.Length > 18) return false;
        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            length = length * 10 + (b - '0');
        }

        return true;
    }
}
