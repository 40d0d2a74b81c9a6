using System.Net;

namespace Hyper.Core.Protocols;

/// <summary>What a protocol and the stream layer know about the connection they serve.</summary>
public sealed record ConnectionInfo(EndPoint? Remote, EndPoint? Local, bool IsTls, string? NegotiatedAlpn = null)
{
    public string Scheme => IsTls ? "https" : "http";
}
