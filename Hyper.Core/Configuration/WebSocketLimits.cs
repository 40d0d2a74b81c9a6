namespace Hyper.Core.Configuration;

/// <summary>
/// WebSocket sizes, timers and switches (RFC 6455, RFC 7692). Defaults follow Hypercorn where it has the option
/// (a 16 MiB message limit) and the stricter choice where a peer could cost memory: compression is off until
/// turned on, and a message's limit holds for its inflated size.
/// </summary>
public sealed record WebSocketLimits
{
    /// <summary>Largest message in bytes, after inflating; larger closes with 1009. Checked on frame headers before buffering.</summary>
    [OptionKey("websocket_max_message_size", Flag = "websocket-max-message-size", Help = "WebSocket: largest message in bytes, after decompression (larger: close 1009)")]
    public long MaxMessageSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>Empty non-final frames allowed in one message; more closes with 1008 (a fragmentation flood carries no data).</summary>
    [OptionKey("websocket_max_empty_fragments", Help = "WebSocket: empty non-final frames allowed per message (more: close 1008)")]
    public int MaxEmptyFragments { get; init; } = 100;

    /// <summary>How often the server pings an open connection; null sends no pings (Hypercorn's default).</summary>
    [OptionKey("websocket_ping_interval", Flag = "websocket-ping-interval", Help = "WebSocket: seconds between server pings; unset = no pings")]
    public TimeSpan? PingInterval { get; init; }

    /// <summary>How long a ping may go unanswered before the peer is taken for dead and the connection closed (1011).</summary>
    [OptionKey("websocket_pong_timeout", Flag = "websocket-pong-timeout", Help = "WebSocket: seconds to wait for the pong to a server ping")]
    public TimeSpan PongTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long to wait for the peer's Close frame after sending one before dropping the connection.</summary>
    [OptionKey("websocket_close_timeout", Flag = "websocket-close-timeout", Help = "WebSocket: seconds to wait for the peer's close reply")]
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Accept permessage-deflate (RFC 7692) when a client offers it. Off by default: compression costs memory per connection.</summary>
    [OptionKey("websocket_compression", Flag = "websocket-compression", Help = "WebSocket: accept permessage-deflate when offered")]
    public bool Compression { get; init; }

    /// <summary>Largest LZ77 window the server compresses with, in bits (9–15; 2^bits bytes). Smaller saves memory per connection.</summary>
    [OptionKey("websocket_server_max_window_bits", Help = "WebSocket compression: server window bits, 9..15")]
    public int ServerMaxWindowBits { get; init; } = 15;

    /// <summary>Largest window the client may compress with (9–15). Below 15, offers that cannot limit the client are declined.</summary>
    [OptionKey("websocket_client_max_window_bits", Help = "WebSocket compression: client window bits, 9..15")]
    public int ClientMaxWindowBits { get; init; } = 15;

    /// <summary>The server resets its compressor after each message (less memory held between messages, worse ratio).</summary>
    [OptionKey("websocket_server_no_context_takeover", Help = "WebSocket compression: server resets its window per message")]
    public bool ServerNoContextTakeover { get; init; }

    /// <summary>The client is asked to reset its compressor after each message, so the server's inflater can too.</summary>
    [OptionKey("websocket_client_no_context_takeover", Help = "WebSocket compression: ask the client to reset its window per message")]
    public bool ClientNoContextTakeover { get; init; }

    /// <summary>Origins (scheme://host[:port], compared case-insensitively) allowed to open WebSockets; empty allows any. Others get 403.</summary>
    [OptionKey("websocket_allowed_origins", Flag = "websocket-allowed-origin", Help = "WebSocket: allowed Origin values (repeatable); none = any")]
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>
    /// Bytes of a message handed to the connection at a time: a send waits for each part to be flushed (or, over
    /// HTTP/2, taken into the stream's window) before the next, so a client that stops reading holds the application's
    /// send with at most this much (plus the transport's buffer) queued on its behalf.
    /// </summary>
    [OptionKey("websocket_send_buffer", Flag = "websocket-send-buffer", Help = "WebSocket: bytes of outgoing message queued at a time before send() waits")]
    public int SendBuffer { get; init; } = 64 * 1024;

    /// <summary>
    /// Open WebSockets allowed at once (per worker); an upgrade beyond it is answered 503 before the handshake is
    /// accepted. Null: no cap beyond <c>max_connections</c>.
    /// </summary>
    [OptionKey("websocket_max_connections", Flag = "websocket-max-connections", Help = "WebSocket: open WebSockets allowed at once per worker (more: 503); unset = no cap")]
    public int? MaxConnections { get; init; }

    /// <summary>Checks every value; throws <see cref="OptionsValidationException"/> naming the first wrong key.</summary>
    public WebSocketLimits Validate()
    {
        // A message is handed to the application as one array.
        if (MaxMessageSize <= 0 || MaxMessageSize > Array.MaxLength)
            throw new OptionsValidationException("websocket_max_message_size", $"must be between 1 and {Array.MaxLength}, got {MaxMessageSize}");
        if (MaxConnections is < 1) throw new OptionsValidationException("websocket_max_connections", $"must be at least 1 (or unset), got {MaxConnections}");
        if (SendBuffer < 1024) throw new OptionsValidationException("websocket_send_buffer", $"must be at least 1024, got {SendBuffer}");
        if (MaxEmptyFragments < 0) throw new OptionsValidationException("websocket_max_empty_fragments", $"must be 0 or more, got {MaxEmptyFragments}");
        if (PingInterval is { } ping && ping <= TimeSpan.Zero)
            throw new OptionsValidationException("websocket_ping_interval", $"must be greater than 0 (or unset), got {ping.TotalSeconds}");
        if (PongTimeout <= TimeSpan.Zero) throw new OptionsValidationException("websocket_pong_timeout", $"must be greater than 0, got {PongTimeout.TotalSeconds}");
        if (CloseTimeout <= TimeSpan.Zero) throw new OptionsValidationException("websocket_close_timeout", $"must be greater than 0, got {CloseTimeout.TotalSeconds}");
        // zlib has no raw 8-bit window, so 8 (RFC 7692's minimum) cannot be honoured.
        if (ServerMaxWindowBits is < 9 or > 15) throw new OptionsValidationException("websocket_server_max_window_bits", $"must be between 9 and 15, got {ServerMaxWindowBits}");
        if (ClientMaxWindowBits is < 9 or > 15) throw new OptionsValidationException("websocket_client_max_window_bits", $"must be between 9 and 15, got {ClientMaxWindowBits}");
        foreach (var origin in AllowedOrigins)
        {
            if (string.IsNullOrWhiteSpace(origin) || origin.Contains(' ') || !origin.Contains("://", StringComparison.Ordinal))
                throw new OptionsValidationException("websocket_allowed_origins", $"'{origin}' is not an origin like https://example.com");
        }
        return this;
    }
}
