using System.Net;
using Hyper.Core.Transport;

namespace Hyper.Core.Protocols;

/// <summary>What a protocol and the stream layer know about the connection they serve.</summary>
public sealed record ConnectionInfo(EndPoint? Remote, EndPoint? Local, bool IsTls, string? NegotiatedAlpn = null, TlsInfo? Tls = null)
{
    public string Scheme => IsTls ? "https" : "http";
}
