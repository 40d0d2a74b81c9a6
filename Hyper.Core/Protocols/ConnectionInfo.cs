using System.Net;
using Hyper.Core.Transport;

namespace Hyper.Core.Protocols;

/// <summary>What a protocol and the stream layer know about the connection they serve.</summary>
public sealed record ConnectionInfo(EndPoint? Remote, EndPoint? Local, bool IsTls, string? NegotiatedAlpn = null, TlsInfo? Tls = null)
{
    /// <summary>
    /// The peer's address as it may change over the connection's life (QUIC migration). Copies made with <c>with</c>
    /// share it, so an upgraded protocol sees the same moves.
    /// </summary>
    public PeerAddress Peer { get; init; } = new(Remote);

    /// <summary>The peer's address now (<see cref="Peer"/>'s current one); what the access log and the scope's <c>client</c> read.</summary>
    public EndPoint? Remote
    {
        get => Peer.Current;
        init => Peer = new PeerAddress(value);
    }

    public string Scheme => IsTls ? "https" : "http";
}
