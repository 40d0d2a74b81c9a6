namespace Hyper.Core.Application;

// The closed family of ASGI HTTP 2.4 messages (https://asgi.readthedocs.io/en/latest/specs/www.html).

/// <summary><c>http.request</c>: a chunk of the request body. <c>more_body</c> false marks the last one.</summary>
public sealed record HttpRequest(ReadOnlyMemory<byte> Body, bool MoreBody) : AsgiMessage
{
    /// <summary>The message for a request without a body, cached.</summary>
    public static readonly HttpRequest Empty = new(ReadOnlyMemory<byte>.Empty, false);
    public override string Type => "http.request";
}

/// <summary><c>http.response.start</c>: status and headers. <c>trailers</c> announces <c>http.response.trailers</c>.</summary>
public sealed record HttpResponseStart(int Status, IReadOnlyList<HeaderField> Headers, bool Trailers = false) : AsgiMessage
{
    public override string Type => "http.response.start";
}

/// <summary><c>http.response.body</c>: a chunk of the response body; <c>more_body</c> false ends the response.</summary>
public sealed record HttpResponseBody(ReadOnlyMemory<byte> Body, bool MoreBody = false) : AsgiMessage
{
    /// <summary>An empty, final body chunk, cached.</summary>
    public static readonly HttpResponseBody EmptyFinal = new(ReadOnlyMemory<byte>.Empty, false);
    public override string Type => "http.response.body";
}

/// <summary><c>http.response.trailers</c> (extension): trailing header fields after the body.</summary>
public sealed record HttpResponseTrailers(IReadOnlyList<HeaderField> Headers, bool MoreTrailers = false) : AsgiMessage
{
    public override string Type => "http.response.trailers";
}

/// <summary><c>http.disconnect</c>: the client went away, or the response is complete and the request is over.</summary>
public sealed record HttpDisconnect : AsgiMessage
{
    public static readonly HttpDisconnect Instance = new();
    public override string Type => "http.disconnect";
}

/// <summary>
/// <c>http.response.early_hint</c> (ASGI extension): sends <c>103 Early Hints</c> (RFC 8297) with one <c>Link</c>
/// field per entry of <see cref="Links"/>, before the final response.
/// </summary>
public sealed record HttpResponseEarlyHint(IReadOnlyList<ReadOnlyMemory<byte>> Links) : AsgiMessage
{
    public override string Type => "http.response.early_hint";
}

/// <summary>
/// <c>http.response.push</c> (ASGI extension): asks the server to push a GET for <see cref="Path"/> (with its query)
/// with <see cref="Headers"/>. The pushed request runs the application like any other. Ignored where the protocol
/// or the client does not allow push (HTTP/1.1, SETTINGS_ENABLE_PUSH = 0).
/// </summary>
public sealed record HttpResponsePush(string Path, IReadOnlyList<HeaderField> Headers) : AsgiMessage
{
    public override string Type => "http.response.push";
}
