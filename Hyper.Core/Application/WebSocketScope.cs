using System.Net;

namespace Hyper.Core.Application;

/// <summary>
/// The ASGI WebSocket 2.4 connection scope (https://asgi.readthedocs.io/en/latest/specs/www.html#websocket-connection-scope):
/// one per WebSocket session, over HTTP/1.1 (Upgrade, RFC 6455) or HTTP/2 (extended CONNECT, RFC 8441).
/// </summary>
public sealed class WebSocketScope : AsgiScope
{
    public override string Type => "websocket";
    public override string SpecVersion => "2.4";

    /// <summary>"1.1" or "2".</summary>
    public required string HttpVersion { get; init; }

    /// <summary><c>ws</c> or <c>wss</c>.</summary>
    public required string Scheme { get; init; }

    /// <summary>The percent-decoded path (UTF-8), <see cref="RootPath"/> kept in (as for HTTP).</summary>
    public required string Path { get; init; }

    /// <summary>The path as it came on the wire, without the query.</summary>
    public required ReadOnlyMemory<byte> RawPath { get; init; }

    /// <summary>The part after '?', still percent-encoded; empty when none.</summary>
    public required ReadOnlyMemory<byte> QueryString { get; init; }

    /// <summary>The mount point of the application (the <c>root_path</c> option).</summary>
    public string RootPath { get; init; } = "";

    /// <summary>Request headers in wire order, names lower-cased, duplicates kept.</summary>
    public required IReadOnlyList<HeaderField> Headers { get; init; }

    /// <summary>The subprotocols the client offered (<c>Sec-WebSocket-Protocol</c>), in its order of preference.</summary>
    public required IReadOnlyList<string> Subprotocols { get; init; }

    /// <summary>The peer, or null for a unix socket.</summary>
    public IPEndPoint? Client { get; init; }

    /// <summary>The local end, or null for a unix socket.</summary>
    public IPEndPoint? Server { get; init; }
}
