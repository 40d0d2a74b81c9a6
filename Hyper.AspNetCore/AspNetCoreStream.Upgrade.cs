using Hyper.Core.Application;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Hyper.AspNetCore;

// Turning a request into an opaque duplex stream, the way ASP.NET Core's WebSocket middleware (and any other
// protocol over HTTP) asks for one: IHttpUpgradeFeature on HTTP/1.1 (a 101, after which the connection carries the
// application's bytes both ways) and IHttpExtendedConnectFeature on HTTP/2 (RFC 8441: a CONNECT with :protocol whose
// DATA frames carry them). The framing on top (RFC 6455) is the application's: Hyper only moves bytes, so Hyper's own
// WebSocket limits (message size, pings, compression) do not apply here; the middleware's options do.
internal sealed partial class AspNetCoreStream : IHttpUpgradeFeature, IHttpExtendedConnectFeature
{
    // HTTP/1.1 after the 101: the connection's input, read only when the application reads the upgraded stream.
    private volatile RequestBodyReader? _upgradedInput;
    private bool _upgradeRequested;
    private bool _connectAccepted;

    /// <summary>Where request input goes now: the body, or after a 101 the tunnel.</summary>
    private RequestBodyReader Input => _upgradedInput ?? _requestBody;

    /// <summary>
    /// RFC 9110 §7.8: an HTTP/1.1 request whose <c>Connection</c> names <c>upgrade</c> and that has an <c>Upgrade</c>
    /// field. One with a body is not upgradable here: the 101 must come after the whole body (the next bytes are the new
    /// protocol's), and Hyper does not read a body the application did not ask for. Kestrel refuses such a request
    /// with 400; Hyper serves it as an ordinary request.
    /// </summary>
    private bool IsUpgradable =>
        !_connection.IsMultiplexed && _head.HttpVersion == "1.1" && !_head.HasBody && AsksForUpgrade(_head.Headers);

    private static bool AsksForUpgrade(IReadOnlyList<HeaderField> fields)
    {
        var upgrade = false;
        var connectionUpgrade = false;
        foreach (var field in fields)
        {
            if (field.NameIs("upgrade"u8)) upgrade = true;
            else if (field.NameIs("connection"u8)) connectionUpgrade |= ListsUpgrade(field.Value.Span);
        }
        return upgrade && connectionUpgrade;
    }

    // RFC 9110 §5.6.1: a comma-separated list, tokens compared case-insensitively, whitespace around them ignored.
    private static bool ListsUpgrade(ReadOnlySpan<byte> list)
    {
        foreach (var range in list.Split((byte)','))
        {
            if (System.Text.Ascii.EqualsIgnoreCase(list[range].Trim(" \t"u8), "upgrade"u8)) return true;
        }
        return false;
    }

    // ---- IHttpUpgradeFeature (HTTP/1.1) ----

    bool IHttpUpgradeFeature.IsUpgradableRequest => IsUpgradable;

    async Task<Stream> IHttpUpgradeFeature.UpgradeAsync()
    {
        if (!IsUpgradable)
            throw new InvalidOperationException("Cannot upgrade a non-upgradable request. Check IHttpUpgradeFeature.IsUpgradableRequest to determine if a request can be upgraded.");
        if (_upgradeRequested) throw new InvalidOperationException("IHttpUpgradeFeature.UpgradeAsync was already called and can only be called once per connection.");
        ThrowIfStarted();
        _upgradeRequested = true;
        _statusCode = 101;
        _reasonPhrase = "Switching Protocols";
        _responseHeaders.Connection = HeaderNames.Upgrade;
        // From here, input is the tunnel's. The disconnect watch, which reads the connection while the application
        // works, must be over before the 101: after it, only the application's reads may read (that is the tunnel's
        // backpressure), and a byte the client sends right after the 101 must reach the tunnel, not the watch.
        _upgradedInput = new RequestBodyReader(this, maxSize: null, isTunnel: true);
        if (_disconnectWatch is { } watch)
        {
            _connection.Wake(this);
            await watch;
        }
        // The 101 (Http11Connection.Tunnel.cs): the connection becomes this stream's in both directions; the end of the
        // response (when the application returns) closes it.
        await WriteBodyAsync(ReadOnlyMemory<byte>.Empty, end: false, headOnly: true);
        return new UpgradedStream(_upgradedInput, this);
    }

    // ---- IHttpExtendedConnectFeature (HTTP/2, RFC 8441) ----

    bool IHttpExtendedConnectFeature.IsExtendedConnect => _connection.IsMultiplexed && _head.Protocol is not null;

    string? IHttpExtendedConnectFeature.Protocol => _connection.IsMultiplexed ? _head.Protocol : null;

    async ValueTask<Stream> IHttpExtendedConnectFeature.AcceptAsync()
    {
        if (!((IHttpExtendedConnectFeature)this).IsExtendedConnect)
            throw new InvalidOperationException("This is not an extended CONNECT request; there is nothing to accept.");
        if (_connectAccepted) throw new InvalidOperationException("The extended CONNECT request was already accepted.");
        ThrowIfStarted();
        _connectAccepted = true;
        // RFC 8441 §5: a 2xx opens the tunnel; its DATA frames, both ways, are the protocol's bytes. The stream's
        // body reader (no size limit for a CONNECT) is the tunnel's input; END_STREAM from the client is its end.
        _statusCode = 200;
        await WriteBodyAsync(ReadOnlyMemory<byte>.Empty, end: false, headOnly: true);
        return new UpgradedStream(_requestBody, this);
    }

    /// <summary>The request became a tunnel: the body size limit no longer means anything.</summary>
    private bool IsTunnel => _head.Protocol is not null || _upgradedInput is not null;
}
