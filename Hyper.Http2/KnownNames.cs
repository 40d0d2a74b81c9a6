namespace Hyper.Http2;

/// <summary>
/// Shared byte arrays and strings for the field names and methods nearly every request carries, so decoding a
/// typical request does not allocate a name per field.
/// </summary>
internal static class KnownNames
{
    public static readonly byte[] Host = "host"u8.ToArray();

    private static readonly byte[][] Names =
    [
        Host, "accept"u8.ToArray(), "accept-encoding"u8.ToArray(), "accept-language"u8.ToArray(), "user-agent"u8.ToArray(),
        "content-type"u8.ToArray(), "content-length"u8.ToArray(), "cache-control"u8.ToArray(), "referer"u8.ToArray(),
        "origin"u8.ToArray(), "authorization"u8.ToArray(), "te"u8.ToArray(), "priority"u8.ToArray(), "pragma"u8.ToArray(),
        "x-forwarded-for"u8.ToArray(), "sec-fetch-mode"u8.ToArray(), "sec-fetch-site"u8.ToArray(), "sec-fetch-dest"u8.ToArray(),
        "upgrade-insecure-requests"u8.ToArray(), "if-none-match"u8.ToArray(), "if-modified-since"u8.ToArray(), "expect"u8.ToArray(),
    ];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE"];

    public static byte[] Intern(ReadOnlySpan<byte> name)
    {
        foreach (var known in Names)
        {
            if (name.SequenceEqual(known)) return known;
        }
        return name.ToArray();
    }

    public static string Method(ReadOnlySpan<byte> value)
    {
        foreach (var method in Methods)
        {
            if (value.Length == method.Length && System.Text.Ascii.Equals(value, method)) return method;
        }
        return System.Text.Encoding.ASCII.GetString(value);
    }
}
