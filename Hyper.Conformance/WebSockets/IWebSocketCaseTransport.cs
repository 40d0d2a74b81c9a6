namespace Hyper.Conformance.WebSockets;

/// <summary>
/// How a case reaches the server's WebSocket: the opening handshake, then a byte stream in each direction. The
/// HTTP/1.1 Upgrade (RFC 6455 §4) and the HTTP/2 extended CONNECT (RFC 8441) carry the same WebSocket bytes, so every
/// case runs on either.
/// </summary>
public interface IWebSocketCaseTransport : IAsyncDisposable
{
    /// <summary>"HTTP/1.1" or "HTTP/2", for verdicts.</summary>
    string Name { get; }

    /// <summary>Opens the WebSocket at <paramref name="path"/>; the response fields are returned lower-cased.</summary>
    Task<WebSocketHandshakeResponse> OpenAsync(string path, IReadOnlyList<(string Name, string Value)> extraFields, CancellationToken cancellationToken);

    Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    /// <summary>Reads WebSocket bytes into <paramref name="buffer"/>; 0 when the server has ended the stream or the connection.</summary>
    Task<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);
}

/// <summary>The answer to the opening handshake: the status (101 on HTTP/1.1, 200 on HTTP/2 for acceptance) and fields.</summary>
public sealed record WebSocketHandshakeResponse(int Status, IReadOnlyList<(string Name, string Value)> Fields)
{
    public string? Field(string name) => Fields.Where(f => f.Name == name).Select(f => f.Value).FirstOrDefault();
}
