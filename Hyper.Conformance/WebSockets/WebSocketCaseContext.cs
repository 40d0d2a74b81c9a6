namespace Hyper.Conformance.WebSockets;

/// <summary>What a case's steps may use once the handshake is done: the negotiated compression, if any.</summary>
public sealed class WebSocketCaseContext(ClientDeflate? deflate)
{
    /// <summary>The client's permessage-deflate state; null when compression was not agreed.</summary>
    public ClientDeflate? Deflate => deflate;

    public ClientDeflate RequireDeflate() =>
        deflate ?? throw new InvalidOperationException("the case compresses but the server did not agree to permessage-deflate");
}
