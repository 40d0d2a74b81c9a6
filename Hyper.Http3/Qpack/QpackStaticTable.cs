namespace Hyper.Http3.Qpack;

/// <summary>
/// The QPACK static table (RFC 9204 Appendix A): 99 entries, indexed from 0 (unlike HPACK's, which starts at 1).
/// </summary>
internal static class QpackStaticTable
{
    /// <summary>The number of entries.</summary>
    public const int Count = 99;

    /// <summary>The index of <c>:status 200</c>, the one line almost every response starts with.</summary>
    public const int Status200 = 25;

    private static readonly QpackStaticEntry[] Entries =
    [
        new(":authority"u8.ToArray(), ""u8.ToArray()), // 0
        new(":path"u8.ToArray(), "/"u8.ToArray()), // 1
        new("age"u8.ToArray(), "0"u8.ToArray()), // 2
        new("content-disposition"u8.ToArray(), ""u8.ToArray()), // 3
        new("content-length"u8.ToArray(), "0"u8.ToArray()), // 4
        new("cookie"u8.ToArray(), ""u8.ToArray()), // 5
        new("date"u8.ToArray(), ""u8.ToArray()), // 6
        new("etag"u8.ToArray(), ""u8.ToArray()), // 7
        new("if-modified-since"u8.ToArray(), ""u8.ToArray()), // 8
        new("if-none-match"u8.ToArray(), ""u8.ToArray()), // 9
        new("last-modified"u8.ToArray(), ""u8.ToArray()), // 10
        new("link"u8.ToArray(), ""u8.ToArray()), // 11
        new("location"u8.ToArray(), ""u8.ToArray()), // 12
        new("referer"u8.ToArray(), ""u8.ToArray()), // 13
        new("set-cookie"u8.ToArray(), ""u8.ToArray()), // 14
        new(":method"u8.ToArray(), "CONNECT"u8.ToArray()), // 15
        new(":method"u8.ToArray(), "DELETE"u8.ToArray()), // 16
        new(":method"u8.ToArray(), "GET"u8.ToArray()), // 17
        new(":method"u8.ToArray(), "HEAD"u8.ToArray()), // 18
        new(":method"u8.ToArray(), "OPTIONS"u8.ToArray()), // 19
        new(":method"u8.ToArray(), "POST"u8.ToArray()), // 20
        new(":method"u8.ToArray(), "PUT"u8.ToArray()), // 21
        new(":scheme"u8.ToArray(), "http"u8.ToArray()), // 22
        new(":scheme"u8.ToArray(), "https"u8.ToArray()), // 23
        new(":status"u8.ToArray(), "103"u8.ToArray()), // 24
        new(":status"u8.ToArray(), "200"u8.ToArray()), // 25
        new(":status"u8.ToArray(), "304"u8.ToArray()), // 26
        new(":status"u8.ToArray(), "404"u8.ToArray()), // 27
        new(":status"u8.ToArray(), "503"u8.ToArray()), // 28
        new("accept"u8.ToArray(), "*/*"u8.ToArray()), // 29
        new("accept"u8.ToArray(), "application/dns-message"u8.ToArray()), // 30
        new("accept-encoding"u8.ToArray(), "gzip, deflate, br"u8.ToArray()), // 31
        new("accept-ranges"u8.ToArray(), "bytes"u8.ToArray()), // 32
        new("access-control-allow-headers"u8.ToArray(), "cache-control"u8.ToArray()), // 33
        new("access-control-allow-headers"u8.ToArray(), "content-type"u8.ToArray()), // 34
        new("access-control-allow-origin"u8.ToArray(), "*"u8.ToArray()), // 35
        new("cache-control"u8.ToArray(), "max-age=0"u8.ToArray()), // 36
        new("cache-control"u8.ToArray(), "max-age=2592000"u8.ToArray()), // 37
        new("cache-control"u8.ToArray(), "max-age=604800"u8.ToArray()), // 38
        new("cache-control"u8.ToArray(), "no-cache"u8.ToArray()), // 39
        new("cache-control"u8.ToArray(), "no-store"u8.ToArray()), // 40
        new("cache-control"u8.ToArray(), "public, max-age=31536000"u8.ToArray()), // 41
        new("content-encoding"u8.ToArray(), "br"u8.ToArray()), // 42
        new("content-encoding"u8.ToArray(), "gzip"u8.ToArray()), // 43
        new("content-type"u8.ToArray(), "application/dns-message"u8.ToArray()), // 44
        new("content-type"u8.ToArray(), "application/javascript"u8.ToArray()), // 45
        new("content-type"u8.ToArray(), "application/json"u8.ToArray()), // 46
        new("content-type"u8.ToArray(), "application/x-www-form-urlencoded"u8.ToArray()), // 47
        new("content-type"u8.ToArray(), "image/gif"u8.ToArray()), // 48
        new("content-type"u8.ToArray(), "image/jpeg"u8.ToArray()), // 49
        new("content-type"u8.ToArray(), "image/png"u8.ToArray()), // 50
        new("content-type"u8.ToArray(), "text/css"u8.ToArray()), // 51
        new("content-type"u8.ToArray(), "text/html; charset=utf-8"u8.ToArray()), // 52
        new("content-type"u8.ToArray(), "text/plain"u8.ToArray()), // 53
        new("content-type"u8.ToArray(), "text/plain;charset=utf-8"u8.ToArray()), // 54
        new("range"u8.ToArray(), "bytes=0-"u8.ToArray()), // 55
        new("strict-transport-security"u8.ToArray(), "max-age=31536000"u8.ToArray()), // 56
        new("strict-transport-security"u8.ToArray(), "max-age=31536000; includesubdomains"u8.ToArray()), // 57
        new("strict-transport-security"u8.ToArray(), "max-age=31536000; includesubdomains; preload"u8.ToArray()), // 58
        new("vary"u8.ToArray(), "accept-encoding"u8.ToArray()), // 59
        new("vary"u8.ToArray(), "origin"u8.ToArray()), // 60
        new("x-content-type-options"u8.ToArray(), "nosniff"u8.ToArray()), // 61
        new("x-xss-protection"u8.ToArray(), "1; mode=block"u8.ToArray()), // 62
        new(":status"u8.ToArray(), "100"u8.ToArray()), // 63
        new(":status"u8.ToArray(), "204"u8.ToArray()), // 64
        new(":status"u8.ToArray(), "206"u8.ToArray()), // 65
        new(":status"u8.ToArray(), "302"u8.ToArray()), // 66
        new(":status"u8.ToArray(), "400"u8.ToArray()), // 67
        new(":status"u8.ToArray(), "403"u8.ToArray()), // 68
        new(":status"u8.ToArray(), "421"u8.ToArray()), // 69
        new(":status"u8.ToArray(), "425"u8.ToArray()), // 70
        new(":status"u8.ToArray(), "500"u8.ToArray()), // 71
        new("accept-language"u8.ToArray(), ""u8.ToArray()), // 72
        new("access-control-allow-credentials"u8.ToArray(), "FALSE"u8.ToArray()), // 73
        new("access-control-allow-credentials"u8.ToArray(), "TRUE"u8.ToArray()), // 74
        new("access-control-allow-headers"u8.ToArray(), "*"u8.ToArray()), // 75
        new("access-control-allow-methods"u8.ToArray(), "get"u8.ToArray()), // 76
        new("access-control-allow-methods"u8.ToArray(), "get, post, options"u8.ToArray()), // 77
        new("access-control-allow-methods"u8.ToArray(), "options"u8.ToArray()), // 78
        new("access-control-expose-headers"u8.ToArray(), "content-length"u8.ToArray()), // 79
        new("access-control-request-headers"u8.ToArray(), "content-type"u8.ToArray()), // 80
        new("access-control-request-method"u8.ToArray(), "get"u8.ToArray()), // 81
        new("access-control-request-method"u8.ToArray(), "post"u8.ToArray()), // 82
        new("alt-svc"u8.ToArray(), "clear"u8.ToArray()), // 83
        new("authorization"u8.ToArray(), ""u8.ToArray()), // 84
        new("content-security-policy"u8.ToArray(), "script-src 'none'; object-src 'none'; base-uri 'none'"u8.ToArray()), // 85
        new("early-data"u8.ToArray(), "1"u8.ToArray()), // 86
        new("expect-ct"u8.ToArray(), ""u8.ToArray()), // 87
        new("forwarded"u8.ToArray(), ""u8.ToArray()), // 88
        new("if-range"u8.ToArray(), ""u8.ToArray()), // 89
        new("origin"u8.ToArray(), ""u8.ToArray()), // 90
        new("purpose"u8.ToArray(), "prefetch"u8.ToArray()), // 91
        new("server"u8.ToArray(), ""u8.ToArray()), // 92
        new("timing-allow-origin"u8.ToArray(), "*"u8.ToArray()), // 93
        new("upgrade-insecure-requests"u8.ToArray(), "1"u8.ToArray()), // 94
        new("user-agent"u8.ToArray(), ""u8.ToArray()), // 95
        new("x-forwarded-for"u8.ToArray(), ""u8.ToArray()), // 96
        new("x-frame-options"u8.ToArray(), "deny"u8.ToArray()), // 97
        new("x-frame-options"u8.ToArray(), "sameorigin"u8.ToArray()), // 98
    ];

    /// <summary>The entry at <paramref name="index"/> (0..98); the caller has checked the range.</summary>
    public static ref readonly QpackStaticEntry Get(int index) => ref Entries[index];

    /// <summary>
    /// Looks <paramref name="name"/> and <paramref name="value"/> up: the index of an exact match, or of the first entry
    /// with that name, or -1. A linear scan that compares lengths first; 99 entries cost well under a microsecond.
    /// </summary>
    public static int Find(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, out bool valueMatches)
    {
        var nameIndex = -1;
        for (var i = 0; i < Entries.Length; i++)
        {
            ref readonly var entry = ref Entries[i];
            if (entry.Name.Length != name.Length || !name.SequenceEqual(entry.Name)) continue;
            if (value.SequenceEqual(entry.Value))
            {
                valueMatches = true;
                return i;
            }

            if (nameIndex < 0) nameIndex = i;
        }

        valueMatches = false;
        return nameIndex;
    }
}

/// <summary>One static table entry: a name and a value, as octets.</summary>
internal readonly record struct QpackStaticEntry(byte[] Name, byte[] Value);
