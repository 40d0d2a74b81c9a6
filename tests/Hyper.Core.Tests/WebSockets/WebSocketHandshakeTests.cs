using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;
using Hyper.Core.WebSockets;

namespace Hyper.Core.Tests.WebSockets;

/// <summary>WS-08: the opening handshake (RFC 6455 §4.2) over HTTP/1.1, and RFC 8441's extended CONNECT.</summary>
public sealed class WebSocketHandshakeTests
{
    private const string SampleKey = "dGhlIHNhbXBsZSBub25jZQ==";

    private static RequestHead Request(string method = "GET", string version = "1.1", params (string Name, string Value)[] headers) => new()
    {
        Method = method,
        RawPath = "/chat"u8.ToArray(),
        QueryString = ReadOnlyMemory<byte>.Empty,
        HttpVersion = version,
        Headers = headers.Select(h => HeaderField.Of(h.Name, h.Value)).ToList(),
    };

    private static (string, string)[] Valid(params (string, string)[] extra) =>
    [
        ("host", "server.example.com"), ("upgrade", "websocket"), ("connection", "keep-alive, Upgrade"),
        ("sec-websocket-key", SampleKey), ("sec-websocket-version", "13"), .. extra,
    ];

    private static string? Header(WebSocketHandshakeResult result, string name) =>
        result.ResponseHeaders.Where(h => h.NameString == name).Select(h => h.ValueString).FirstOrDefault();

    [Fact] // RFC 6455 §1.3's example key and accept value.
    public void Accept_IsComputedFromTheKey()
    {
        WebSocketHandshake.ComputeAccept(Encoding.ASCII.GetBytes(SampleKey)).Should().Be("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    [Fact]
    public void ValidUpgrade_Is101WithTheAcceptHeaders()
    {
        var result = WebSocketHandshake.ValidateUpgrade(Request(headers: Valid(("sec-websocket-protocol", "chat, superchat"), ("sec-websocket-protocol", "v2"))), new WebSocketLimits());

        result.IsAccepted.Should().BeTrue();
        result.Status.Should().Be(101);
        Header(result, "upgrade").Should().Be("websocket");
        Header(result, "connection").Should().Be("Upgrade");
        Header(result, "sec-websocket-accept").Should().Be("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        Header(result, "sec-websocket-extensions").Should().BeNull();
        result.Subprotocols.Should().Equal("chat", "superchat", "v2");
        result.Compression.Should().BeNull();
    }

    [Theory] // WS-08: a bad or missing Sec-WebSocket-Key is 400.
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 at all!!")]
    [InlineData("dGhlIHNhbXBsZSBub25j")] // 15 bytes
    [InlineData("dGhlIHNhbXBsZSBub25jZXg=")] // 17 bytes
    [InlineData("dGhlIHNhbXBsZSBub25jZQ")] // no padding
    public void WS08_BadKey_Is400(string? key)
    {
        var headers = Valid().Where(h => h.Item1 != "sec-websocket-key").ToList();
        if (key is not null) headers.Add(("sec-websocket-key", key));

        WebSocketHandshake.ValidateUpgrade(Request(headers: [.. headers]), new WebSocketLimits()).Status.Should().Be(400);
    }

    [Fact]
    public void WS08_TwoKeys_Is400()
    {
        WebSocketHandshake.ValidateUpgrade(Request(headers: Valid(("sec-websocket-key", SampleKey))), new WebSocketLimits()).Status.Should().Be(400);
    }

    [Theory] // WS-08: another version is 426 naming version 13 (RFC 6455 §4.4).
    [InlineData(null)]
    [InlineData("8")]
    [InlineData("12")]
    [InlineData("14")]
    [InlineData("13, 8")]
    public void WS08_OtherVersion_Is426WithVersion13(string? version)
    {
        var headers = Valid().Where(h => h.Item1 != "sec-websocket-version").ToList();
        if (version is not null) headers.Add(("sec-websocket-version", version));

        var result = WebSocketHandshake.ValidateUpgrade(Request(headers: [.. headers]), new WebSocketLimits());

        result.Status.Should().Be(426);
        Header(result, "sec-websocket-version").Should().Be("13");
    }

    [Theory] // RFC 6455 §4.2.1 items 1–4.
    [InlineData("POST", "1.1", "upgrade", "websocket", "connection", "upgrade")]
    [InlineData("GET", "1.0", "upgrade", "websocket", "connection", "upgrade")]
    [InlineData("GET", "1.1", "upgrade", "h2c", "connection", "upgrade")]
    [InlineData("GET", "1.1", "upgrade", "websocket", "connection", "keep-alive")]
    public void MalformedUpgrade_Is400(string method, string version, string h1, string v1, string h2, string v2)
    {
        var headers = Valid().Where(h => h.Item1 is not ("upgrade" or "connection")).Append((h1, v1)).Append((h2, v2)).ToArray();

        WebSocketHandshake.ValidateUpgrade(Request(method, version, headers), new WebSocketLimits()).Status.Should().Be(400);
    }

    [Fact] // Header tokens are case-insensitive (RFC 6455 §4.2.1).
    public void UpgradeTokens_AreCaseInsensitive()
    {
        var headers = Valid().Where(h => h.Item1 is not ("upgrade" or "connection")).Append(("upgrade", "WebSocket")).Append(("connection", "UPGRADE")).ToArray();

        WebSocketHandshake.ValidateUpgrade(Request(headers: headers), new WebSocketLimits()).Status.Should().Be(101);
    }

    [Fact]
    public void InvalidSubprotocolList_Is400()
    {
        WebSocketHandshake.ValidateUpgrade(Request(headers: Valid(("sec-websocket-protocol", "chat, bad name"))), new WebSocketLimits()).Status.Should().Be(400);
    }

    [Theory] // WS-08: the Origin allow-list (403); clients without Origin are not browsers and pass.
    [InlineData("https://app.example.com", 101)]
    [InlineData("HTTPS://APP.EXAMPLE.COM", 101)]
    [InlineData("https://evil.example.net", 403)]
    [InlineData("null", 403)]
    [InlineData(null, 101)]
    public void WS08_OriginAllowList(string? origin, int status)
    {
        var limits = new WebSocketLimits { AllowedOrigins = ["https://app.example.com"] };
        var headers = origin is null ? Valid() : Valid(("origin", origin));

        WebSocketHandshake.ValidateUpgrade(Request(headers: headers), limits).Status.Should().Be(status);
        WebSocketHandshake.ValidateUpgrade(Request(headers: headers), new WebSocketLimits()).Status.Should().Be(101, "no list allows any origin");
    }

    [Fact]
    public void CompressionOffer_IsAnsweredWhenCompressionIsOn()
    {
        var headers = Valid(("sec-websocket-extensions", "permessage-deflate; client_max_window_bits"));

        var on = WebSocketHandshake.ValidateUpgrade(Request(headers: headers), new WebSocketLimits { Compression = true });
        var off = WebSocketHandshake.ValidateUpgrade(Request(headers: headers), new WebSocketLimits());

        Header(on, "sec-websocket-extensions").Should().Be("permessage-deflate");
        on.Compression.Should().NotBeNull();
        Header(off, "sec-websocket-extensions").Should().BeNull();
        off.Compression.Should().BeNull();
    }

    [Fact] // RFC 8441 §4–5: CONNECT with :protocol websocket, no key, 200.
    public void ExtendedConnect_IsAcceptedWith200()
    {
        var head = Request("CONNECT", "2", ("sec-websocket-version", "13"), ("sec-websocket-protocol", "chat"), ("origin", "https://app.example.com"));

        var result = WebSocketHandshake.ValidateExtendedConnect(head, "websocket", new WebSocketLimits { AllowedOrigins = ["https://app.example.com"] });

        result.Status.Should().Be(200);
        result.ResponseHeaders.Should().BeEmpty();
        result.Subprotocols.Should().Equal("chat");
    }

    [Fact]
    public void ExtendedConnect_Refusals()
    {
        var limits = new WebSocketLimits { AllowedOrigins = ["https://app.example.com"] };
        var ok = Request("CONNECT", "2", ("sec-websocket-version", "13"));

        WebSocketHandshake.ValidateExtendedConnect(ok, null, limits).Status.Should().Be(400);
        WebSocketHandshake.ValidateExtendedConnect(ok, "connect-udp", limits).Status.Should().Be(400);
        WebSocketHandshake.ValidateExtendedConnect(Request("GET", "2", ("sec-websocket-version", "13")), "websocket", limits).Status.Should().Be(400);
        WebSocketHandshake.ValidateExtendedConnect(Request("CONNECT", "2", ("sec-websocket-version", "7")), "websocket", limits).Status.Should().Be(426);
        WebSocketHandshake.ValidateExtendedConnect(Request("CONNECT", "2", ("sec-websocket-version", "13"), ("origin", "https://x.test")), "websocket", limits)
            .Status.Should().Be(403);
    }

    [Fact]
    public void IsUpgradeRequest_LooksForTheWebsocketToken()
    {
        WebSocketHandshake.IsUpgradeRequest(Request(headers: Valid())).Should().BeTrue();
        WebSocketHandshake.IsUpgradeRequest(Request(headers: [("upgrade", "h2c")])).Should().BeFalse();
    }
}
