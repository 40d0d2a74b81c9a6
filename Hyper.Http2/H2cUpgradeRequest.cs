using Hyper.Core.Protocols;

namespace Hyper.Http2;

/// <summary>
/// Recognises an HTTP/1.1 request that asks to switch to HTTP/2 (RFC 7540 §3.2): <c>Upgrade</c> listing the token,
/// exactly one <c>HTTP2-Settings</c>, and <c>Connection</c> naming both (§3.2.1: HTTP2-Settings is hop-by-hop).
/// </summary>
public static class H2cUpgradeRequest
{
    /// <summary>The Upgrade token of HTTP/2 over cleartext TCP (RFC 7540 §3.2).</summary>
    public const string Token = "h2c";

    public static bool TryParse(RequestHead head, out ReadOnlyMemory<byte> settings)
    {
        settings = default;
        var upgrade = false;
        var connectionUpgrade = false;
        var connectionSettings = false;
        var settingsCount = 0;
        foreach (var field in head.Headers)
        {
            if (field.NameIs("upgrade"u8))
            {
                upgrade |= ListContains(field.Value.Span, Token);
            }
            else if (field.NameIs("connection"u8))
            {
                connectionUpgrade |= ListContains(field.Value.Span, "upgrade");
                connectionSettings |= ListContains(field.Value.Span, "http2-settings");
            }
            else if (field.NameIs("http2-settings"u8))
            {
                settingsCount++;
                settings = field.Value;
            }
        }
        return upgrade && connectionUpgrade && connectionSettings && settingsCount == 1;
    }

    /// <summary>True when the comma-separated list holds <paramref name="token"/> (case-insensitive, OWS trimmed).</summary>
    private static bool ListContains(ReadOnlySpan<byte> list, string token)
    {
        foreach (var range in list.Split((byte)','))
        {
            var item = list[range].Trim(" \t"u8);
            if (System.Text.Ascii.EqualsIgnoreCase(item, token)) return true;
        }
        return false;
    }
}
