using Hyper.Core.Configuration;

namespace Hyper.Core.WebSockets;

/// <summary>
/// Picks the permessage-deflate configuration from a client's offers (RFC 7692 §5, §7.1): the first offer the
/// server can honour is accepted, the others are ignored. An offer is declined when it has an unknown or repeated
/// parameter or a bad value (§7.1), or asks for what the server cannot do: an 8-bit server window (zlib has no
/// raw 8-bit window) or, when the server wants to limit the client's window, an offer without
/// client_max_window_bits (the client would not know to honour it, §7.1.2.2).
/// </summary>
internal static class PerMessageDeflateNegotiator
{
    private const int MinZlibWindowBits = 9;

    /// <summary>The accepted parameters, or null when compression is off, unavailable or every offer is declined.</summary>
    public static PerMessageDeflateParameters? Negotiate(IEnumerable<WebSocketExtensionOffer> offers, WebSocketLimits limits)
    {
        if (!limits.Compression || !ZlibRawStream.IsAvailable) return null;
        foreach (var offer in offers)
        {
            if (offer.Name != PerMessageDeflateParameters.ExtensionName) continue;
            if (TryAccept(offer, limits) is { } accepted) return accepted;
        }
        return null;
    }

    private static PerMessageDeflateParameters? TryAccept(WebSocketExtensionOffer offer, WebSocketLimits limits)
    {
        bool serverNoContext = false, clientNoContext = false, clientBitsPresent = false;
        int? serverBits = null, clientBits = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in offer.Parameters)
        {
            if (!seen.Add(name)) return null; // RFC 7692 §7.1: a repeated parameter declines the offer
            switch (name)
            {
                case "server_no_context_takeover" when value is null: serverNoContext = true; break;
                case "client_no_context_takeover" when value is null: clientNoContext = true; break;
                case "server_max_window_bits":
                    // RFC 7692 §7.1.2.1: a value is required, 8 to 15.
                    serverBits = ParseWindowBits(value);
                    if (serverBits is null) return null;
                    break;
                case "client_max_window_bits":
                    // RFC 7692 §7.1.2.2: the value is optional; if present, 8 to 15.
                    clientBitsPresent = true;
                    if (value is not null && (clientBits = ParseWindowBits(value)) is null) return null;
                    break;
                default: return null; // unknown parameter, or a value where none is allowed
            }
        }

        var serverWindow = Math.Min(limits.ServerMaxWindowBits, serverBits ?? 15);
        if (serverWindow < MinZlibWindowBits) return null;

        int clientWindow;
        bool includeClientBits;
        if (limits.ClientMaxWindowBits < 15)
        {
            if (!clientBitsPresent) return null;
            clientWindow = Math.Min(limits.ClientMaxWindowBits, clientBits ?? 15);
            includeClientBits = true;
        }
        else
        {
            clientWindow = clientBits ?? 15;
            includeClientBits = false;
        }

        return new PerMessageDeflateParameters(
            ServerNoContextTakeover: serverNoContext || limits.ServerNoContextTakeover,
            ClientNoContextTakeover: clientNoContext || limits.ClientNoContextTakeover,
            ServerMaxWindowBits: serverWindow,
            ClientMaxWindowBits: clientWindow,
            IncludeServerMaxWindowBits: serverBits is not null || serverWindow < 15,
            IncludeClientMaxWindowBits: includeClientBits);
    }

    private static int? ParseWindowBits(string? value) => value switch
    {
        "8" => 8, "9" => 9, "10" => 10, "11" => 11, "12" => 12, "13" => 13, "14" => 14, "15" => 15,
        _ => null,
    };
}
