using Hyper.Core.Configuration;

namespace Hyper.Conformance.WebSockets;

/// <summary>
/// The server configurations the suite needs, so a test fixture starts one server per profile and backend. The
/// message limit is the same everywhere (Hyper's and Hypercorn's default, 16 MiB) so the limit cases know it.
/// </summary>
public enum WebSocketServerProfile
{
    /// <summary>Defaults: compression off.</summary>
    Plain,

    /// <summary>permessage-deflate accepted, default windows and context takeover.</summary>
    Compression,

    /// <summary>permessage-deflate with a 9-bit server window and the client asked to drop its context per message.</summary>
    CompressionSmallWindow,
}

public static class WebSocketServerProfiles
{
    public const long MaxMessageSize = 16 * 1024 * 1024;

    public static HyperOptions Apply(WebSocketServerProfile profile, HyperOptions options) => options with
    {
        WebSockets = profile switch
        {
            WebSocketServerProfile.Plain => options.WebSockets with { MaxMessageSize = MaxMessageSize },
            WebSocketServerProfile.Compression => options.WebSockets with { MaxMessageSize = MaxMessageSize, Compression = true },
            WebSocketServerProfile.CompressionSmallWindow => options.WebSockets with
            {
                MaxMessageSize = MaxMessageSize,
                Compression = true,
                ServerMaxWindowBits = 9,
                ClientNoContextTakeover = true,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(profile)),
        },
    };
}
