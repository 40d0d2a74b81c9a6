using System.Security.Cryptography;
using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Core.Http;
using Hyper.Core.Protocols;

namespace Hyper.Core.WebSockets;

/// <summary>
/// Validates a WebSocket opening handshake, for HTTP/1.1 (RFC 6455 §4.2.1: GET with Upgrade) and for the
/// extended CONNECT of HTTP/2 and HTTP/3 (RFC 8441, RFC 9220), and computes what the acceptance carries.
/// </summary>
internal static class WebSocketHandshake
{
    /// <summary>The GUID the accept value is derived with (RFC 6455 §1.3).</summary>
    public const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>The only protocol version (RFC 6455 §4.1).</summary>
    public const string SupportedVersion = "13";

    /// <summary>True when the request asks for a WebSocket by HTTP/1.1 Upgrade (an Upgrade header naming websocket).</summary>
    public static bool IsUpgradeRequest(RequestHead head) =>
        HasToken(head.Headers, "upgrade"u8, "websocket");

    /// <summary>
    /// RFC 6455 §4.2.1 for an HTTP/1.1 request: GET, HTTP/1.1 or later, Upgrade: websocket, Connection: upgrade,
    /// a Sec-WebSocket-Key of 16 base64-encoded bytes (else 400), Sec-WebSocket-Version 13 (else 426 listing 13,
    /// §4.4), and an allowed Origin (else 403). Accepted: 101 with Upgrade, Connection and Sec-WebSocket-Accept.
    /// </summary>
    public static WebSocketHandshakeResult ValidateUpgrade(RequestHead head, WebSocketLimits limits)
    {
        if (head.Method != "GET") return WebSocketHandshakeResult.Refuse(400, "A WebSocket handshake must be a GET request.");
        if (head.HttpVersion != "1.1") return WebSocketHandshakeResult.Refuse(400, "A WebSocket handshake needs HTTP/1.1.");
        if (!IsUpgradeRequest(head)) return WebSocketHandshakeResult.Refuse(400, "Upgrade: websocket is missing.");
        if (!HasToken(head.Headers, "connection"u8, "upgrade")) return WebSocketHandshakeResult.Refuse(400, "Connection: upgrade is missing.");

        var keys = Values(head.Headers, "sec-websocket-key"u8);
        if (keys.Count != 1 || !IsValidKey(keys[0].Trim(' ', '\t')))
            return WebSocketHandshakeResult.Refuse(400, "Sec-WebSocket-Key must be one base64 value of 16 bytes.");

        if (CheckCommon(head, limits) is { } refused) return refused;

        var subprotocols = ParseSubprotocols(head);
        if (subprotocols is null) return WebSocketHandshakeResult.Refuse(400, "Sec-WebSocket-Protocol is not a list of tokens.");
        var compression = NegotiateCompression(head, limits);

        var headers = new List<HeaderField>
        {
            HeaderField.Of("upgrade", "websocket"),
            HeaderField.Of("connection", "Upgrade"),
            HeaderField.Of("sec-websocket-accept", ComputeAccept(Encoding.Latin1.GetBytes(keys[0].Trim(' ', '\t')))),
        };
        if (compression is not null) headers.Add(HeaderField.Of("sec-websocket-extensions", compression.ToResponseHeaderValue()));
        return new WebSocketHandshakeResult(101, null, headers, subprotocols, compression);
    }

    /// <summary>
    /// RFC 8441 §4–5 (HTTP/2) and RFC 9220 (HTTP/3): CONNECT with <c>:protocol</c> websocket (passed as
    /// <paramref name="protocol"/>), Sec-WebSocket-Version 13 (else 426), and an allowed Origin (else 403). There is
    /// no Sec-WebSocket-Key or Accept, and acceptance is 200 rather than 101.
    /// </summary>
    public static WebSocketHandshakeResult ValidateExtendedConnect(RequestHead head, string? protocol, WebSocketLimits limits)
    {
        if (head.Method != "CONNECT") return WebSocketHandshakeResult.Refuse(400, "An extended CONNECT must use the CONNECT method.");
        if (!string.Equals(protocol, "websocket", StringComparison.OrdinalIgnoreCase))
            return WebSocketHandshakeResult.Refuse(400, ":protocol must be websocket.");
        if (CheckCommon(head, limits) is { } refused) return refused;

        var subprotocols = ParseSubprotocols(head);
        if (subprotocols is null) return WebSocketHandshakeResult.Refuse(400, "Sec-WebSocket-Protocol is not a list of tokens.");
        var compression = NegotiateCompression(head, limits);
        var headers = new List<HeaderField>();
        if (compression is not null) headers.Add(HeaderField.Of("sec-websocket-extensions", compression.ToResponseHeaderValue()));
        return new WebSocketHandshakeResult(200, null, headers, subprotocols, compression);
    }

    /// <summary>Sec-WebSocket-Accept: base64(SHA-1(key + GUID)) over the key exactly as sent (RFC 6455 §4.2.2 item 5.4).</summary>
    public static string ComputeAccept(ReadOnlySpan<byte> key)
    {
        Span<byte> input = stackalloc byte[key.Length + AcceptGuid.Length];
        key.CopyTo(input);
        Encoding.ASCII.GetBytes(AcceptGuid, input[key.Length..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
        return Convert.ToBase64String(hash);
    }

    // Version and Origin: the checks both handshake forms share.
    private static WebSocketHandshakeResult? CheckCommon(RequestHead head, WebSocketLimits limits)
    {
        // RFC 6455 §4.2.2 item 4 and §4.4: another version gets 426 with the versions this server speaks.
        var versions = Values(head.Headers, "sec-websocket-version"u8);
        if (versions.Count != 1 || versions[0].Trim(' ', '\t') != SupportedVersion)
            return WebSocketHandshakeResult.Refuse(426, "Sec-WebSocket-Version must be 13.", HeaderField.Of("sec-websocket-version", SupportedVersion));

        // RFC 6455 §10.2: the Origin check protects against cross-site use from browsers. Clients that are not
        // browsers send no Origin and are not refused for it.
        if (limits.AllowedOrigins.Count > 0)
        {
            var origins = Values(head.Headers, "origin"u8);
            if (origins.Count > 1) return WebSocketHandshakeResult.Refuse(403, "More than one Origin.");
            if (origins.Count == 1 && !limits.AllowedOrigins.Contains(origins[0].Trim(' ', '\t'), StringComparer.OrdinalIgnoreCase))
                return WebSocketHandshakeResult.Refuse(403, $"Origin '{origins[0]}' is not allowed.");
        }
        return null;
    }

    private static PerMessageDeflateParameters? NegotiateCompression(RequestHead head, WebSocketLimits limits)
    {
        if (!limits.Compression) return null;
        // A malformed Sec-WebSocket-Extensions header declines every extension rather than refusing the handshake.
        var offers = WebSocketExtensionOffer.ParseAll(Values(head.Headers, "sec-websocket-extensions"u8));
        return offers is null ? null : PerMessageDeflateNegotiator.Negotiate(offers, limits);
    }

    // RFC 6455 §4.2.1 item 10, §11.3.4: a comma-separated list of tokens, over any number of header lines.
    private static List<string>? ParseSubprotocols(RequestHead head)
    {
        var result = new List<string>();
        foreach (var value in Values(head.Headers, "sec-websocket-protocol"u8))
        {
            foreach (var element in value.Split(','))
            {
                var name = element.Trim(' ', '\t');
                if (name.Length == 0) continue;
                if (!FieldSyntax.IsToken(Encoding.Latin1.GetBytes(name))) return null;
                result.Add(name);
            }
        }
        return result;
    }

    // RFC 6455 §4.1: the key is 16 random bytes, base64-encoded (24 characters with padding).
    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }

    private static List<string> Values(IReadOnlyList<HeaderField> headers, ReadOnlySpan<byte> name)
    {
        var values = new List<string>();
        foreach (var field in headers)
        {
            if (field.NameIs(name)) values.Add(field.ValueString);
        }
        return values;
    }

    private static bool HasToken(IReadOnlyList<HeaderField> headers, ReadOnlySpan<byte> name, string token)
    {
        foreach (var value in Values(headers, name))
        {
            foreach (var element in value.Split(','))
            {
                if (string.Equals(element.Trim(' ', '\t'), token, StringComparison.OrdinalIgnoreCase)) return true;
            }
        }
        return false;
    }
}
