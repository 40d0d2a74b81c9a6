using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Hyper.Conformance.WebSockets;

/// <summary>
/// A WebSocket over HTTP/1.1 on a bare TCP socket: the Upgrade request of RFC 6455 §4.1, with
/// <c>Sec-WebSocket-Accept</c> checked against the key (§4.2.2), then the socket's bytes as they are.
/// </summary>
public sealed class Http11WebSocketTransport(EndPoint server) : IWebSocketCaseTransport
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private byte[] _leftover = [];

    public string Name => "HTTP/1.1";

    public async Task<WebSocketHandshakeResponse> OpenAsync(string path, IReadOnlyList<(string Name, string Value)> extraFields,
        CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(server, cancellationToken);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = new StringBuilder($"GET {path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .Append($"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n");
        foreach (var (name, value) in extraFields) request.Append($"{name}: {value}\r\n");
        await _socket.SendAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()), SocketFlags.None, cancellationToken);

        var head = new List<byte>();
        var buffer = new byte[16 * 1024];
        int end;
        while ((end = IndexOfBlankLine(head)) < 0)
        {
            var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0) throw new IOException("the server closed before answering the handshake");
            head.AddRange(buffer.AsSpan(0, read));
        }
        _leftover = head.Skip(end + 4).ToArray();
        var lines = Encoding.Latin1.GetString(head.Take(end).ToArray()).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var fields = lines.Skip(1).Select(line => line.Split(':', 2)).Select(p => (p[0].Trim().ToLowerInvariant(), p[1].Trim())).ToList();
        var response = new WebSocketHandshakeResponse(status, fields);
        if (status == 101)
        {
            var expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
            if (response.Field("sec-websocket-accept") != expected)
                throw new InvalidDataException($"Sec-WebSocket-Accept is '{response.Field("sec-websocket-accept")}', RFC 6455 §4.2.2 gives '{expected}'");
        }
        return response;
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
        }
        catch (SocketException)
        {
            // The server may close as soon as it has failed the connection; what it sent first is still readable.
        }
    }

    public async Task<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_leftover.Length > 0)
        {
            var count = Math.Min(buffer.Length, _leftover.Length);
            _leftover.AsSpan(0, count).CopyTo(buffer.Span);
            _leftover = _leftover[count..];
            return count;
        }
        try
        {
            return await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        }
        catch (SocketException)
        {
            return 0; // a reset ends the stream like a close
        }
    }

    private static int IndexOfBlankLine(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') return i;
        }
        return -1;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
