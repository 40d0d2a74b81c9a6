namespace Hyper.Conformance.WebSockets;

/// <summary>One thing a case's client does after the handshake.</summary>
public abstract record WebSocketStep
{
    /// <summary>
    /// Sends bytes built from the context (the client's compressor lives there). With <see cref="SplitEvery"/>, the
    /// bytes go out in writes of that many octets, so the server must reassemble frames cut anywhere.
    /// </summary>
    public sealed record Send(Func<WebSocketCaseContext, byte[]> Build, int? SplitEvery = null) : WebSocketStep;

    /// <summary>The next message from the server is exactly this (frames joined, inflated when compressed).</summary>
    public sealed record ExpectMessage(int Opcode, byte[] Payload) : WebSocketStep;

    /// <summary>
    /// The next frame from the server is a Pong with exactly this payload (RFC 6455 §5.5.3). Pongs to earlier Pings
    /// listed in <see cref="MayPrecede"/> may come first, in order: a server may answer only the latest Ping.
    /// </summary>
    public sealed record ExpectPong(byte[] Payload) : WebSocketStep
    {
        public IReadOnlyList<byte[]> MayPrecede { get; init; } = [];
    }
}
