using Hyper.Core.Http;

namespace Hyper.Http11.Parsing;

/// <summary>
/// A request-target split into the parts the scope needs, copied out of the receive buffer.
/// <code>
/// request-target = origin-form / absolute-form / authority-form / asterisk-form   ; RFC 9112 §3.2
/// </code>
/// </summary>
internal readonly record struct RequestTarget(RequestTargetForm Form, byte[] Path, byte[] Query, byte[]? Authority)
{
    public static RequestTarget Parse(ReadOnlySpan<byte> target, string method)
    {
        if (target.IsEmpty) throw Invalid("empty request-target");
        foreach (var b in target)
        {
            // RFC 3986 §2: a URI is visible US-ASCII; '#' starts a fragment, which a request-target never has.
            if (b is <= 0x20 or >= 0x7F or (byte)'#') throw Invalid("request-target has a byte outside visible ASCII");
        }

        if (target[0] == (byte)'/') return SplitPathAndQuery(RequestTargetForm.Origin, target, authority: null);

        // RFC 9112 §3.2.4: the asterisk-form is only used for a server-wide OPTIONS request.
        if (target.Length == 1 && target[0] == (byte)'*')
        {
            return method == "OPTIONS"
                ? new RequestTarget(RequestTargetForm.Asterisk, "*"u8.ToArray(), [], null)
                : throw Invalid("asterisk-form is only allowed for OPTIONS");
        }

        var schemeEnd = target.IndexOf("://"u8);
        if (schemeEnd > 0 && IsScheme(target[..schemeEnd]))
        {
            var rest = target[(schemeEnd + 3)..];
            var authorityEnd = rest.IndexOfAny((byte)'/', (byte)'?');
            if (authorityEnd < 0) authorityEnd = rest.Length;
            var authority = rest[..authorityEnd];
            if (authority.IsEmpty || !HostSyntax.IsValid(authority)) throw Invalid("absolute-form target has an invalid authority");
            return SplitPathAndQuery(RequestTargetForm.Absolute, rest[authorityEnd..], authority.ToArray());
        }

        // RFC 9112 §3.2.3: the authority-form belongs to CONNECT alone (which the caller refuses first).
        throw Invalid("request-target is in no form allowed for this method");
    }

    private static RequestTarget SplitPathAndQuery(RequestTargetForm form, ReadOnlySpan<byte> pathAndQuery, byte[]? authority)
    {
        var question = pathAndQuery.IndexOf((byte)'?');
        var path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        var query = question < 0 ? [] : pathAndQuery[(question + 1)..];
        // RFC 9112 §3.2.2: an absolute-form target with an empty path stands for "/".
        var pathBytes = path.IsEmpty ? "/"u8.ToArray() : path.ToArray();
        if (pathBytes[0] != (byte)'/') throw Invalid("path must start with '/'");
        if (PathDecoder.ContainsEncodedNul(pathBytes)) throw Invalid("path encodes a NUL (%00)");
        return new RequestTarget(form, pathBytes, query.ToArray(), authority);
    }

    // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    private static bool IsScheme(ReadOnlySpan<byte> scheme)
    {
        if (!char.IsAsciiLetter((char)scheme[0])) return false;
        foreach (var b in scheme)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'+' or (byte)'-' or (byte)'.')) return false;
        }
        return true;
    }

    private static Http11ProtocolException Invalid(string detail) => new(Http11RejectReason.InvalidRequestTarget, detail);
}
