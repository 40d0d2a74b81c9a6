namespace Hyper.Http11.Parsing;

/// <summary>
/// Validates a Host value or an absolute-form authority (RFC 9110 §7.2, RFC 3986 §3.2.2):
/// <code>
/// Host = uri-host [ ":" port ]    uri-host = IP-literal / IPv4address / reg-name    port = *DIGIT
/// </code>
/// Stricter than RFC 3986 in one respect: a comma (a sub-delim) is refused, because <c>Host: a, b</c> is how
/// a list of hosts is smuggled past a front end (docs/security.md H1-11). Userinfo (<c>@</c>) is refused too.
/// </summary>
internal static class HostSyntax
{
    public static bool IsValid(ReadOnlySpan<byte> host)
    {
        if (host.IsEmpty) return true; // RFC 9112 §3.2: an empty Host is allowed when the target has no authority.

        int portStart;
        if (host[0] == (byte)'[')
        {
            var close = host.IndexOf((byte)']');
            if (close < 2) return false;
            foreach (var b in host[1..close])
            {
                if (!(IsHexDigit(b) || b is (byte)':' or (byte)'.' or (byte)'v' or (byte)'V')) return false;
            }
            portStart = close + 1;
        }
        else
        {
            portStart = host.IndexOf((byte)':');
            if (portStart < 0) portStart = host.Length;
            if (portStart == 0) return false;
            foreach (var b in host[..portStart])
            {
                if (!IsRegNameChar(b)) return false;
            }
        }

        if (portStart == host.Length) return true;
        if (host[portStart] != (byte)':') return false;
        foreach (var b in host[(portStart + 1)..])
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
        }
        return true;
    }

    // RFC 3986: reg-name = *( unreserved / pct-encoded / sub-delims ), minus ","
    private static bool IsRegNameChar(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~' or (byte)'%'
            or (byte)'!' or (byte)'$' or (byte)'&' or (byte)'\'' or (byte)'(' or (byte)')' or (byte)'*' or (byte)'+' or (byte)';' or (byte)'=';

    private static bool IsHexDigit(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';
}
