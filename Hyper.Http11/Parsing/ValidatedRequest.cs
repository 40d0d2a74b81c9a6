using Hyper.Core.Protocols;

namespace Hyper.Http11.Parsing;

/// <summary>A request head that passed every rule, with what the connection needs to read its body and answer it.</summary>
internal sealed record ValidatedRequest(RequestHead Head, BodyFraming Framing, bool KeepAliveRequested)
{
    /// <summary>RFC 9110 §9.3.2: a response to HEAD never carries content.</summary>
    public bool IsHead => Head.Method == "HEAD";

    public bool IsHttp10 => Head.HttpVersion == "1.0";
}
