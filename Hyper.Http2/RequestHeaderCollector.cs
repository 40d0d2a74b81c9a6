using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Http;
using Hyper.Core.Protocols;
using Hyper.Http2.Hpack;

namespace Hyper.Http2;

/// <summary>
/// Receives one decoded header block and checks it against RFC 9113 §8.2–§8.3 as it arrives. A malformed block
/// is only recorded, never thrown, while HPACK decoding runs: the decoder must finish the block or the
/// connection's compression state is lost (a stream error must not leave it half-decoded, §4.3). The
/// connection reads <see cref="Error"/> afterwards and resets the stream.
/// </summary>
internal sealed class RequestHeaderCollector : IHeaderSink
{
    private readonly List<HeaderField> _fields = new(16);
    private List<byte[]>? _cookies;
    private bool _trailers;
    private bool _regularSeen;
    private long _listSize;

    public string? Method { get; private set; }
    public byte[]? Scheme { get; private set; }
    public byte[]? Path { get; private set; }
    public byte[]? Authority { get; private set; }
    public byte[]? Protocol { get; private set; }
    public long? ContentLength { get; private set; }
    public bool ExpectsContinue { get; private set; }
    public bool HasHost { get; private set; }

    /// <summary>Decoded size with 32 octets per field (RFC 9113 §6.5.2), to answer 431 above the advertised list size.</summary>
    public long ListSize => _listSize;

    /// <summary>Why the block is malformed (§8.1.1), or null.</summary>
    public string? Error { get; private set; }

    public IReadOnlyList<HeaderField> Fields => _fields;

    public void Reset(bool trailers)
    {
        _fields.Clear();
        _cookies?.Clear();
        _trailers = trailers;
        _regularSeen = false;
        _listSize = 0;
        Method = null;
        Scheme = Path = Authority = Protocol = null;
        ContentLength = null;
        ExpectsContinue = HasHost = false;
        Error = null;
    }

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed)
    {
        _listSize += name.Length + value.Length + 32;
        if (Error is not null) return;
        if (name.IsEmpty)
        {
            Fail("empty field name"); // H2-06
            return;
        }
        if (name[0] == (byte)':')
        {
            OnPseudoHeader(name, value);
            return;
        }
        _regularSeen = true;
        // RFC 9113 §8.2.1: names are lower case tokens; values carry no CR, LF, NUL and no outer whitespace.
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
        // RFC 9113 §8.2.2: connection-specific fields are malformed in HTTP/2; TE may only say "trailers".
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
            // RFC 9113 §8.2.3: crumbs are joined into one field for HTTP/1.1-shaped applications. Each crumb
            // counted against the field limit already (H2-10).
            (_cookies ??= new List<byte[]>()).Add(value.ToArray());
            return;
        }
        else if (name.SequenceEqual("host"u8))
        {
            HasHost = true;
        }
        else if (name.SequenceEqual("expect"u8) && Ascii.EqualsIgnoreCase(value, "100-continue"u8))
        {
            ExpectsContinue = true;
        }
        _fields.Add(new HeaderField(KnownNames.Intern(name), value.ToArray()));
    }

    /// <summary>Adds the joined cookie field (and a Host from :authority) once the block is complete.</summary>
    public void Complete()
    {
        if (Error is not null) return;
        if (_cookies is { Count: > 0 } cookies)
        {
            var length = cookies.Sum(c => c.Length) + 2 * (cookies.Count - 1);
            var joined = new byte[length];
            var at = 0;
            for (var i = 0; i < cookies.Count; i++)
            {
                if (i > 0)
                {
                    "; "u8.CopyTo(joined.AsSpan(at));
                    at += 2;
                }
                cookies[i].CopyTo(joined, at);
                at += cookies[i].Length;
            }
            _fields.Add(new HeaderField("cookie"u8.ToArray(), joined));
        }
        // Applications written for HTTP/1.1 read the host header; HTTP/2 carries it as :authority (§8.3.1).
        if (!HasHost && Authority is not null) _fields.Insert(0, new HeaderField(KnownNames.Host, Authority));
    }

    private void OnPseudoHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        // RFC 9113 §8.3: pseudo-headers come first, once each, only the request ones, and never in trailers.
        if (_trailers || _regularSeen)
        {
            Fail("pseudo-header in trailers or after a regular field");
            return;
        }
        if (name.SequenceEqual(":method"u8))
        {
            if (Method is not null || !FieldSyntax.IsToken(value)) { Fail("bad or repeated :method"); return; }
            Method = KnownNames.Method(value);
        }
        else if (name.SequenceEqual(":scheme"u8))
        {
            if (Scheme is not null || value.IsEmpty) { Fail("bad or repeated :scheme"); return; }
            Scheme = value.ToArray();
        }
        else if (name.SequenceEqual(":path"u8))
        {
            if (Path is not null || !FieldSyntax.IsValidFieldValue(value)) { Fail("bad or repeated :path"); return; }
            Path = value.ToArray();
        }
        else if (name.SequenceEqual(":authority"u8))
        {
            if (Authority is not null || !FieldSyntax.IsValidFieldValue(value)) { Fail("bad or repeated :authority"); return; }
            Authority = value.ToArray();
        }
        else if (name.SequenceEqual(":protocol"u8))
        {
            if (Protocol is not null) { Fail("repeated :protocol"); return; }
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
