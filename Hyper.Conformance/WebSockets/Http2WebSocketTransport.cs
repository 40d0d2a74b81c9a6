using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;

namespace Hyper.Conformance.WebSockets;

/// <summary>
/// A WebSocket over HTTP/2 (RFC 8441) on a cleartext connection with prior knowledge: the server must announce
/// <c>SETTINGS_ENABLE_CONNECT_PROTOCOL = 1</c> (§3), the client opens stream 1 with an extended CONNECT
/// (<c>:protocol websocket</c>, §4), a 2xx accepts (§5), and from then on the DATA frames of stream 1 carry the
/// WebSocket's bytes both ways under flow control (RFC 9113 §5.2): the client keeps to the server's windows and
/// returns every byte it reads at once. The end of the stream (END_STREAM, RST_STREAM, GOAWAY, or the connection's
/// close) is the end of the WebSocket's byte stream.
/// </summary>
public sealed class Http2WebSocketTransport(EndPoint server) : IWebSocketCaseTransport
{
    private const int StreamId = 1;
    private const int DefaultWindow = 65_535;
    private const int MaxFrameSize = 16_384; // RFC 9113 §6.5.2: the initial SETTINGS_MAX_FRAME_SIZE
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly Http2ClientCodec _codec = new();
    private readonly Queue<ReceivedFrame> _frames = new();
    private readonly byte[] _readBuffer = new byte[64 * 1024];
    private readonly Queue<ReadOnlyMemory<byte>> _received = new();
    private ReadOnlyMemory<byte> _current;
    private long _connectionWindow = DefaultWindow;
    private long _streamWindow = DefaultWindow;
    private long _initialStreamWindow = DefaultWindow;
    private bool _ended;

    public string Name => "HTTP/2";

    public async Task<WebSocketHandshakeResponse> OpenAsync(string path, IReadOnlyList<(string Name, string Value)> extraFields,
        CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(server, cancellationToken);
        await WriteAsync(Http2ClientCodec.Hello(), cancellationToken);
        var settings = await NextFrameAsync(cancellationToken) ?? throw new IOException("the server closed before its SETTINGS");
        if (settings.Type != Http2FrameType.Settings || settings.Has(Http2FrameFlags.Ack))
            throw new InvalidDataException($"the server's first frame is {settings}, not SETTINGS (RFC 9113 §3.4)");
        var connectProtocol = false;
        for (var at = 0; at + 6 <= settings.Payload.Length; at += 6)
        {
            var id = (Http2SettingsParameter)BinaryPrimitives.ReadUInt16BigEndian(settings.Payload.AsSpan(at));
            var value = BinaryPrimitives.ReadUInt32BigEndian(settings.Payload.AsSpan(at + 2));
            if (id == Http2SettingsParameter.EnableConnectProtocol) connectProtocol = value == 1;
            if (id == Http2SettingsParameter.InitialWindowSize) _streamWindow = _initialStreamWindow = value;
        }
        if (!connectProtocol) throw new InvalidDataException("the server did not send SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3)");
        await WriteAsync(Http2ClientCodec.SettingsAck(), cancellationToken);

        var authority = server is IPEndPoint ip ? ip.ToString() : "localhost";
        var fields = new List<(string, string)>
        {
            (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", path), (":authority", authority),
            ("sec-websocket-version", "13"),
        };
        fields.AddRange(extraFields.Select(f => (f.Name.ToLowerInvariant(), f.Value)));
        await WriteAsync(_codec.Headers(StreamId, fields, endStream: false), cancellationToken);

        while (await NextFrameAsync(cancellationToken) is { } frame)
        {
            if (frame.StreamId != StreamId) continue;
            if (frame.Type == Http2FrameType.RstStream) throw new IOException($"the server reset the CONNECT stream: {frame}");
            if (frame.Type != Http2FrameType.Headers) continue;
            var status = int.Parse(frame.Header(":status")!, System.Globalization.CultureInfo.InvariantCulture);
            if (frame.EndStream) _ended = true;
            return new WebSocketHandshakeResponse(status, frame.Headers!.Where(h => !h.Name.StartsWith(':')).ToList());
        }
        throw new IOException("the connection closed before the CONNECT was answered");
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (bytes.Length > 0 && !_ended)
        {
            var room = (int)Math.Min(Math.Min(_connectionWindow, _streamWindow), MaxFrameSize);
            if (room <= 0)
            {
                // Blocked by flow control: read until the server opens a window (DATA it sends meanwhile is kept).
                if (await NextFrameAsync(cancellationToken) is null) return;
                continue;
            }
            var part = bytes[..Math.Min(room, bytes.Length)];
            await WriteAsync(Http2ClientCodec.Data(StreamId, part.Span, endStream: false), cancellationToken);
            _connectionWindow -= part.Length;
            _streamWindow -= part.Length;
            bytes = bytes[part.Length..];
        }
    }

    public async Task<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (_current.IsEmpty)
        {
            if (_received.TryDequeue(out var next)) _current = next;
            else if (_ended || await NextFrameAsync(cancellationToken) is null) return 0;
        }
        var count = Math.Min(buffer.Length, _current.Length);
        _current[..count].CopyTo(buffer);
        _current = _current[count..];
        return count;
    }

    /// <summary>Reads and handles the next frame (DATA kept, windows and settings applied, PING answered); null at the end.</summary>
    private async Task<ReceivedFrame?> NextFrameAsync(CancellationToken cancellationToken)
    {
        while (_frames.Count == 0)
        {
            int read;
            try
            {
                read = await _socket.ReceiveAsync(_readBuffer, SocketFlags.None, cancellationToken);
            }
            catch (SocketException)
            {
                read = 0;
            }
            if (read == 0)
            {
                _ended = true;
                return null;
            }
            foreach (var received in _codec.Read(_readBuffer.AsSpan(0, read))) _frames.Enqueue(received);
        }
        var frame = _frames.Dequeue();
        switch (frame.Type)
        {
            case Http2FrameType.Data when frame.StreamId == StreamId:
                var data = frame.Payload.AsSpan();
                if (frame.Has(Http2FrameFlags.Padded)) data = data[1..^frame.Payload[0]];
                if (!data.IsEmpty) _received.Enqueue(data.ToArray());
                if (frame.Payload.Length > 0)
                {
                    await WriteAsync([.. Http2ClientCodec.WindowUpdate(0, frame.Payload.Length), .. Http2ClientCodec.WindowUpdate(StreamId, frame.Payload.Length)],
                        cancellationToken);
                }
                if (frame.EndStream) _ended = true;
                break;
            case Http2FrameType.WindowUpdate:
                var increment = BinaryPrimitives.ReadUInt32BigEndian(frame.Payload) & 0x7FFF_FFFF;
                if (frame.StreamId == 0) _connectionWindow += increment;
                else if (frame.StreamId == StreamId) _streamWindow += increment;
                break;
            case Http2FrameType.Settings when !frame.Has(Http2FrameFlags.Ack):
                for (var at = 0; at + 6 <= frame.Payload.Length; at += 6)
                {
                    if ((Http2SettingsParameter)BinaryPrimitives.ReadUInt16BigEndian(frame.Payload.AsSpan(at)) != Http2SettingsParameter.InitialWindowSize) continue;
                    var value = BinaryPrimitives.ReadUInt32BigEndian(frame.Payload.AsSpan(at + 2));
                    _streamWindow += value - _initialStreamWindow; // RFC 9113 §6.9.2
                    _initialStreamWindow = value;
                }
                await WriteAsync(Http2ClientCodec.SettingsAck(), cancellationToken);
                break;
            case Http2FrameType.Ping when !frame.Has(Http2FrameFlags.Ack):
                await WriteAsync(Http2ClientCodec.Ping(BinaryPrimitives.ReadUInt64BigEndian(frame.Payload), ack: true), cancellationToken);
                break;
            case Http2FrameType.RstStream when frame.StreamId == StreamId:
            case Http2FrameType.GoAway:
                _ended = true;
                break;
            case Http2FrameType.Headers when frame.StreamId == StreamId && frame.EndStream:
                _ended = true;
                break;
        }
        return frame;
    }

    private async Task WriteAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
        }
        catch (SocketException)
        {
            _ended = true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
