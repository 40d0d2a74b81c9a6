namespace Hyper.Core.Protocols;

/// <summary>
/// What selects one protocol for a connection, as its module registers it (docs/protocol-registry.md: Core names no protocol).
/// Every key is optional: a protocol is offered through TLS ALPN when it has an <see cref="AlpnId"/>, recognised on
/// a shared cleartext port when it has a <see cref="CleartextPreface"/>, and reachable from HTTP/1.1's
/// <c>Upgrade</c> when it has an <see cref="UpgradeToken"/>. Exactly one registration is the
/// <see cref="IsDefault"/> one, which serves what no key selected.
/// </summary>
public sealed record ProtocolRegistration(IStreamProtocolFactory Factory)
{
    /// <summary>The ALPN protocol id (RFC 7301) offered in the TLS handshake, e.g. <c>h2</c> or <c>http/1.1</c>.</summary>
    public string? AlpnId { get; init; }

    /// <summary>
    /// The place of <see cref="AlpnId"/> in the server's ALPN preference order: lower first (HTTP/2 registers 100,
    /// HTTP/1.1 200, so h2 is preferred, as Kestrel and Hypercorn do). The <c>alpn_protocols</c> option may reorder.
    /// </summary>
    public int AlpnPreference { get; init; }

    /// <summary>Recognises the protocol by the first bytes of a cleartext connection, e.g. the HTTP/2 preface.</summary>
    public IPrefaceMatcher? CleartextPreface { get; init; }

    /// <summary>
    /// The <c>Upgrade</c> token (RFC 9110 §7.8) that switches an HTTP/1.1 connection to this protocol, e.g.
    /// <c>h2c</c>; <see cref="Factory"/> must then be an <see cref="IUpgradeTargetFactory"/>.
    /// </summary>
    public string? UpgradeToken { get; init; }

    /// <summary>
    /// Serves a connection that nothing else selected: a cleartext connection whose first bytes match no preface, and
    /// a TLS connection whose client negotiated no ALPN id.
    /// </summary>
    public bool IsDefault { get; init; }
}
