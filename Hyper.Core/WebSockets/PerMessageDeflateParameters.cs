using System.Text;

namespace Hyper.Core.WebSockets;

/// <summary>
/// The permessage-deflate configuration both ends agreed on (RFC 7692 §7.1): window sizes in bits (9–15 here)
/// and whether each side resets its compression context after every message.
/// </summary>
internal sealed record PerMessageDeflateParameters(
    bool ServerNoContextTakeover, bool ClientNoContextTakeover, int ServerMaxWindowBits, int ClientMaxWindowBits,
    bool IncludeServerMaxWindowBits, bool IncludeClientMaxWindowBits)
{
    /// <summary>The extension token (RFC 7692 §7).</summary>
    public const string ExtensionName = "permessage-deflate";

    /// <summary>The Sec-WebSocket-Extensions response value that accepts the offer (RFC 7692 §5).</summary>
    public string ToResponseHeaderValue()
    {
        var value = new StringBuilder(ExtensionName);
        if (ServerNoContextTakeover) value.Append("; server_no_context_takeover");
        if (ClientNoContextTakeover) value.Append("; client_no_context_takeover");
        if (IncludeServerMaxWindowBits) value.Append("; server_max_window_bits=").Append(ServerMaxWindowBits);
        if (IncludeClientMaxWindowBits) value.Append("; client_max_window_bits=").Append(ClientMaxWindowBits);
        return value.ToString();
    }
}
