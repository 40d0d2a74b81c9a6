using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Hyper.Core.Application;
using Hyper.Http2.Frames;
using Hyper.Http2.Hpack;

namespace Hyper.EndToEnd.Tests.Http2;

/// <summary>
/// One connection, two streams: a stream whose client window is shut must not hold up a sibling. The client sets
/// SETTINGS_INITIAL_WINDOW_SIZE tiny and never opens stream 1's window, so that stream's handler blocks in send();
/// stream 3, whose window the client opens, must still get its whole response at once.
/// </summary>
public sealed class StreamIsolationTests
{
    private const int FreeBodySize = 48 * 1024;

    private static async ValueTask App(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is not HttpScope http) return;
        await send(new HttpResponseStart(200, [Apps.H("content-type", "application/octet-stream")]));
        if (http.Path == "/stuck")
        {
            // Far more than the shut window and the server's per-stream response buffer: send() must block.
            var chunk = new byte[16 * 1024];
            for (var i = 0; i < 64; i++) await send(new HttpResponseBody(chunk, MoreBody: true));
            await send(new HttpResponseBody(ReadOnlyMemory<byte>.Empty, MoreBody: false));
            return;
        }
        await send(new HttpResponseBody(new byte[FreeBodySize], MoreBody: false));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ShutWindowOnOneStream_SiblingGetsItsWholeResponseAtOnce(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, App);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        var encoder = new HpackEncoder();
        var frames = new FrameLog(socket);

        // RFC 9113 §6.5.2: a 16-byte initial window for every stream; the connection window is opened wide.
        await SendAsync(socket, [
            .. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8,
            .. Frame(w => Http2FrameWriter.WriteSettings(w, [(Http2SettingsParameter.InitialWindowSize, 16u)])),
            .. Frame(w => Http2FrameWriter.WriteWindowUpdate(w, 0, 16 * 1024 * 1024)),
            .. Get(encoder, 1, "/stuck"),
        ]);
        // Stream 1's handler has started its response and is now blocked behind the shut window.
        (await frames.WaitAsync(f => f.HeadersOn(1), TimeSpan.FromSeconds(10))).Should().BeTrue("stream 1's response head is not flow-controlled");

        var watch = Stopwatch.StartNew();
        await SendAsync(socket, [
            .. Get(encoder, 3, "/free"),
            .. Frame(w => Http2FrameWriter.WriteWindowUpdate(w, 3, 1024 * 1024)),
        ]);
        var served = await frames.WaitAsync(f => f.Ended(3), TimeSpan.FromSeconds(10));

        served.Should().BeTrue("stream 3 has its window; stream 1's shut window must not hold it up");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        frames.DataBytes(3).Should().Be(FreeBodySize);
        frames.Ended(1).Should().BeFalse("stream 1's window was never opened");
        frames.DataBytes(1).Should().BeLessThanOrEqualTo(16);
    }

    private static byte[] Frame(Action<ArrayBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Get(HpackEncoder encoder, int streamId, string path)
    {
        var block = new ArrayBufferWriter<byte>();
        encoder.BeginBlock(block);
        foreach (var (name, value) in new[] { (":method", "GET"), (":scheme", "http"), (":path", path), (":authority", "127.0.0.1") })
            encoder.Encode(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value), sensitive: false, block);
        return Frame(w => Http2FrameWriter.WriteFrame(w, Http2FrameType.Headers, Http2FrameFlags.EndHeaders | Http2FrameFlags.EndStream, streamId, block.WrittenSpan));
    }

    private static async Task SendAsync(Socket socket, byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
    }

    /// <summary>Reads the server's frames in the background and keeps, per stream, what a test needs to know.</summary>
    private sealed class FrameLog
    {
        private readonly Lock _sync = new();
        private readonly HashSet<int> _headers = [];
        private readonly HashSet<int> _ended = [];
        private readonly Dictionary<int, long> _data = [];
        private readonly SemaphoreSlim _changed = new(0);

        public FrameLog(Socket socket) => _ = Task.Run(() => ReadAsync(socket));

        public bool HeadersOn(int streamId)
        {
            lock (_sync) return _headers.Contains(streamId);
        }

        public bool Ended(int streamId)
        {
            lock (_sync) return _ended.Contains(streamId);
        }

        public long DataBytes(int streamId)
        {
            lock (_sync) return _data.GetValueOrDefault(streamId);
        }

        public async Task<bool> WaitAsync(Func<FrameLog, bool> condition, TimeSpan timeout)
        {
            var deadline = Stopwatch.StartNew();
            while (!condition(this))
            {
                var left = timeout - deadline.Elapsed;
                if (left <= TimeSpan.Zero) return false;
                await _changed.WaitAsync(left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
            }
            return true;
        }

        private async Task ReadAsync(Socket socket)
        {
            var buffer = new byte[1024 * 1024];
            var length = 0;
            try
            {
                while (true)
                {
                    var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None);
                    if (read == 0) return;
                    length += read;
                    var at = 0;
                    while (length - at >= Http2FrameHeader.Size)
                    {
                        var header = Http2FrameHeader.Read(buffer.AsSpan(at));
                        if (length - at - Http2FrameHeader.Size < header.Length) break;
                        Note(header, buffer.AsSpan(at + Http2FrameHeader.Size, header.Length));
                        at += Http2FrameHeader.Size + header.Length;
                    }
                    buffer.AsSpan(at, length - at).CopyTo(buffer);
                    length -= at;
                    _changed.Release();
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }

        private void Note(Http2FrameHeader header, ReadOnlySpan<byte> payload)
        {
            lock (_sync)
            {
                if (header.Type == Http2FrameType.Headers) _headers.Add(header.StreamId);
                if (header.Type == Http2FrameType.Data)
                {
                    var padding = header.Has(Http2FrameFlags.Padded) ? payload[0] + 1 : 0;
                    _data[header.StreamId] = _data.GetValueOrDefault(header.StreamId) + header.Length - padding;
                }
                if (header.Type is Http2FrameType.Headers or Http2FrameType.Data && header.Has(Http2FrameFlags.EndStream)) _ended.Add(header.StreamId);
            }
        }
    }
}
