using Hyper.Core.Application;

namespace Hyper.Core.Protocols;

/// <summary>
/// A parsed, validated request head as a protocol hands it to the stream layer. The protocol has already
/// enforced framing and field syntax; the stream layer only maps it to an ASGI scope.
/// </summary>
public sealed class RequestHead
{
    /// <summary>Upper-case method token.</summary>
    public required string Method { get; init; }

    /// <summary>The request target's path (origin-form path, or the path of an absolute-form target), still percent-encoded.</summary>
    public required ReadOnlyMemory<byte> RawPath { get; init; }

    /// <summary>The query after '?', still percent-encoded; empty when none.</summary>
    public required ReadOnlyMemory<byte> QueryString { get; init; }

    /// <summary>"1.0", "1.1", "2" or "3".</summary>
    public required string HttpVersion { get; init; }

    /// <summary>Header fields, names lower-cased, in wire order.</summary>
    public required IReadOnlyList<HeaderField> Headers { get; init; }

    /// <summary>The authority the request is for (Host, :authority, or an absolute-form target's).</summary>
    public ReadOnlyMemory<byte> Authority { get; init; }

    /// <summary>True when the request has a body to read (a non-zero Content-Length or chunked framing).</summary>
    public bool HasBody { get; init; }

    /// <summary>The declared body length, or null when chunked / unknown.</summary>
    public long? ContentLength { get; init; }

    /// <summary>The client sent <c>Expect: 100-continue</c> and waits for it before sending the body.</summary>
    public bool ExpectsContinue { get; init; }

    /// <summary>
    /// The protocol an extended CONNECT asks the stream to carry (HTTP/2's <c>:protocol</c>, RFC 8441 §4; HTTP/3's,
    /// RFC 9220), e.g. <c>websocket</c>; null for every other request.
    /// </summary>
    public string? Protocol { get; init; }
}
