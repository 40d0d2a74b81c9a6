namespace Hyper.Core.Logging;

/// <summary>
/// The Gunicorn/Hypercorn access-log atoms (`%(h)s` …), plus the literal text between them. The atom letters are
/// listed beside each member; `{Name}i`, `{Name}o` and `{Name}e` carry their name in the segment's argument.
/// </summary>
internal enum AccessLogAtom
{
    /// <summary>Text copied as is (including a `%` written as `%%`).</summary>
    Literal,
    /// <summary>`h`: the remote address, `ip:port`.</summary>
    RemoteAddress,
    /// <summary>`l`: always `-` (identd is never asked).</summary>
    Dash,
    /// <summary>`u`: the user name of Basic authentication, else `-`.</summary>
    User,
    /// <summary>`t`: the time, `[%d/%b/%Y:%H:%M:%S %z]`.</summary>
    Time,
    /// <summary>`r`: `METHOD path http_version`.</summary>
    RequestLine,
    /// <summary>`R`: `METHOD path?query http_version`.</summary>
    RequestLineWithQuery,
    /// <summary>`m`: the method.</summary>
    Method,
    /// <summary>`U`: the path, without the query.</summary>
    Path,
    /// <summary>`Uq`: the path with `?query` when there is one.</summary>
    PathWithQuery,
    /// <summary>`q`: the query string.</summary>
    Query,
    /// <summary>`H`: the HTTP version (`1.0`, `1.1`, `2`, `3`).</summary>
    Protocol,
    /// <summary>`s`: the status code, `-` when no response started.</summary>
    Status,
    /// <summary>`st`: the status phrase; `&lt;???NNN???&gt;` for a code without one.</summary>
    StatusPhrase,
    /// <summary>`S`: the scheme.</summary>
    Scheme,
    /// <summary>`B`: response body length (Content-Length, else bytes sent); `0` when none.</summary>
    ResponseLength,
    /// <summary>`b`: as `B`, but `-` instead of `0` (the Common Log Format's rule).</summary>
    ResponseLengthClf,
    /// <summary>`f`: the Referer request header.</summary>
    Referer,
    /// <summary>`a`: the User-Agent request header.</summary>
    UserAgent,
    /// <summary>`T`: request time in whole seconds.</summary>
    DurationSeconds,
    /// <summary>`M`: request time in whole milliseconds (Gunicorn's atom; Hypercorn lacks it).</summary>
    DurationMilliseconds,
    /// <summary>`D`: request time in whole microseconds.</summary>
    DurationMicroseconds,
    /// <summary>`L`: request time in seconds with six decimals.</summary>
    DurationDecimalSeconds,
    /// <summary>`p`: `&lt;pid&gt;`.</summary>
    ProcessId,
    /// <summary>`{Name}i`: a request header, name compared case-insensitively.</summary>
    RequestHeader,
    /// <summary>`{Name}o`: a response header set by the application.</summary>
    ResponseHeader,
    /// <summary>`{Name}e`: an environment variable.</summary>
    EnvironmentVariable,
    /// <summary>Any other name: renders `-`, as Hypercorn does, so a typo never breaks logging.</summary>
    Unknown,
}
