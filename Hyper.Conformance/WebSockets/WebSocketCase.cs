namespace Hyper.Conformance.WebSockets;

/// <summary>
/// One WebSocket conformance case, numbered in the Autobahn testsuite's groups (<c>1</c> framing, <c>2</c> pings,
/// <c>3</c> reserved bits, <c>4</c> opcodes, <c>5</c> fragmentation, <c>6</c> UTF-8, <c>7</c> close, <c>9</c> limits,
/// <c>12</c>/<c>13</c> compression) but written from the RFC sentence it checks: the extension offer of the
/// handshake, what the client sends (<see cref="Steps"/>), and what the server must do (<see cref="Expected"/>).
/// Pure data: the same case runs over HTTP/1.1 or HTTP/2 against any server that echoes.
/// </summary>
/// <param name="Id">e.g. <c>ws/5.4</c>: group, then the case in it.</param>
/// <param name="Section">The rule checked, <c>RFC 6455 §…</c> or <c>RFC 7692 §…</c>.</param>
public sealed record WebSocketCase(string Id, string Section, string Description, IReadOnlyList<WebSocketStep> Steps, WebSocketExpectation Expected)
{
    /// <summary>The server configuration the case needs (compression on, window sizes).</summary>
    public WebSocketServerProfile Profile { get; init; } = WebSocketServerProfile.Plain;

    /// <summary>The <c>Sec-WebSocket-Extensions</c> the client offers, if any (RFC 6455 §9.1).</summary>
    public string? ExtensionOffer { get; init; }

    /// <summary>
    /// What the server's <c>Sec-WebSocket-Extensions</c> must say when an offer is made: the exact agreed parameters
    /// (in any order), or null for "declined" (no header).
    /// </summary>
    public string? ExpectedAgreement { get; init; }

    /// <summary>Also part of the HTTP/2 (RFC 8441) subset.</summary>
    public bool OverHttp2 { get; init; }

    /// <summary>How long the whole case may take once connected (large messages get more).</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The group, e.g. <c>ws/5</c> for <c>ws/5.4</c>.</summary>
    public string Group => Id[..Id.IndexOf('.')];

    public override string ToString() => $"{Id} {Description}";
}
