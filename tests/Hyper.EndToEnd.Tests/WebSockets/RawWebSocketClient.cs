using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Hyper.EndToEnd.Tests.WebSockets;

/// <summary>A WebSocket client over a bare socket, for what a well-behaved client library will not send or do.</summary>
internal sealed class RawWebSocketClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _buffered = [];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private RawWebSocketClient(Socket socket) => _socket = socket;

    public static async Task<RawWebSocketClient> ConnectAsync(TestServer server, int? receiveBuffer = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer is { } size) socket.ReceiveBufferSize = size;
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, server.Port);
        return new RawWebSocketClient(socket);
    }

    /// <summary>Sends a handshake for <paramref name="path"/> and returns the response head (status line and fields).</summary>
    public async Task<string> HandshakeAsync(string path, string version = "13", string? key = null, params string[] extraHeaders)
    {
        key ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: {version}\r\n" + string.Concat(extraHeaders.Select(h => h + "\r\n")) + "\r\n";
        await _socket.SendAsync(Encoding.ASCII.GetBytes(request));
        while (true)
        {
            var text = Encoding.Latin1.GetString(_buffered.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _buffered.RemoveRange(0, end + 4);
                return text[..end];
            }
            if (!await FillAsync()) throw new IOException("EOF before the response head");
        }
    }

    /// <summary>Reads what follows the head up to EOF (a refusal's body).</summary>
    public async Task<string> ReadBodyAsync(int length)
    {
        while (_buffered.Count < length && await FillAsync()) { }
        return Encoding.UTF8.GetString(_buffered.Take(length).ToArray());
    }

    public Task<int> SendFrameAsync(int opcode, byte[] payload, bool fin = true)
    {
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        if (payload.Length < 126) header.Add((byte)(0x80 | payload.Length));
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add(0x80 | 126);
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }
        else
        {
            header.Add(0x80 | 127);
            var length = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(length, payload.Length);
            header.AddRange(length);
        }
        var mask = RandomNumberGenerator.GetBytes(4);
        header.AddRange(mask);
        var masked = payload.Select((b, i) => (byte)(b ^ mask[i % 4]));
        return _socket.SendAsync(header.Concat(masked).ToArray());
    }

    public Task<int> SendCloseAsync(int code) => SendFrameAsync(0x8, [(byte)(code >> 8), (byte)code]);

    /// <summary>The next frame from the server, or null at EOF.</summary>
    public async Task<(int Opcode, byte[] Payload)?> ReadFrameAsync()
    {
        if (!await EnsureAsync(2)) return null;
        var opcode = _buffered[0] & 0x0F;
        long length = _buffered[1] & 0x7F;
        var offset = 2;
        if (length == 126)
        {
            if (!await EnsureAsync(4)) return null;
            length = (_buffered[2] << 8) | _buffered[3];
            offset = 4;
        }
        else if (length == 127)
        {
            if (!await EnsureAsync(10)) return null;
            length = BinaryPrimitives.ReadInt64BigEndian(_buffered.GetRange(2, 8).ToArray());
            offset = 10;
        }
        if (!await EnsureAsync(offset + (int)length)) return null;
        var payload = _buffered.GetRange(offset, (int)length).ToArray();
        _buffered.RemoveRange(0, offset + (int)length);
        return (opcode, payload);
    }

    /// <summary>Reads frames until a Close; returns its code (or -1 at EOF without one).</summary>
    public async Task<int> ReadCloseCodeAsync()
    {
        while (await ReadFrameAsync() is { } frame)
        {
            if (frame.Opcode == 0x8) return frame.Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(frame.Payload) : 1005;
        }
        return -1;
    }

    /// <summary>True when the server closes the TCP connection (EOF) within the timeout.</summary>
    public async Task<bool> ReachesEofAsync()
    {
        while (await FillAsync()) _buffered.Clear();
        return true;
    }

    private async Task<bool> EnsureAsync(int count)
    {
        while (_buffered.Count < count)
        {
            if (!await FillAsync()) return false;
        }
        return true;
    }

    private async Task<bool> FillAsync()
    {
        var chunk = new byte[64 * 1024];
        using var cts = new CancellationTokenSource(Timeout);
        int read;
        try
        {
            read = await _socket.ReceiveAsync(chunk, cts.Token);
        }
        catch (SocketException)
        {
            return false;
        }
        if (read == 0) return false;
        _buffered.AddRange(chunk.AsSpan(0, read));
        return true;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
