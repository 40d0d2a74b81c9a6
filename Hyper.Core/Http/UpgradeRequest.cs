using Hyper.Core.Protocols;

namespace Hyper.Core.Http;

/// <summary>
/// The protocol-neutral part of an <c>Upgrade</c> request (RFC 9110 §7.8): the tokens the client offers and the
/// <c>Connection: upgrade</c> that must come with them, because Upgrade is a hop-by-hop field (§7.6.1). What the
/// target protocol needs beyond that (HTTP/2's HTTP2-Settings) it checks itself.
/// </summary>
internal static class UpgradeRequest
{
    /// <summary>True when the request has an <c>Upgrade</c> field and names <c>upgrade</c> in <c>Connection</c>.</summary>
    public static bool AsksForUpgrade(RequestHead head)
    {
        var hasUpgrade = false;
        var connectionUpgrade = false;
        foreach (var field in head.Headers)
        {
            if (field.NameIs("upgrade"u8)) hasUpgrade = true;
            else if (field.NameIs("connection"u8)) connectionUpgrade |= ListContains(field.Value.Span, "upgrade");
        }
        return hasUpgrade && connectionUpgrade;
    }

    /// <summary>True when an <c>Upgrade</c> field lists <paramref name="token"/>.</summary>
    public static bool ListsToken(RequestHead head, string token)
    {
        foreach (var field in head.Headers)
        {
            if (field.NameIs("upgrade"u8) && ListContains(field.Value.Span, token)) return true;
        }
        return false;
    }

    /// <summary>
    /// True when the comma-separated list holds <paramref name="token"/>, compared case-insensitively with optional
    /// whitespace trimmed (RFC 9110 §5.6.1). A protocol token with a version (<c>websocket/13</c>) does not match the
    /// bare name; registrations use the bare token as clients send it.
    /// </summary>
    public static bool ListContains(ReadOnlySpan<byte> list, string token)
    {
        foreach (var range in list.Split((byte)','))
        {
            var item = list[range].Trim(" \t"u8);
            if (System.Text.Ascii.EqualsIgnoreCase(item, token)) return true;
        }
        return false;
    }
}
