using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Hyper.Http2.Frames;
using Hyper.Http2.Hpack;

namespace Hyper.EndToEnd.Tests.Http2.Attacks;

/// <summary>
/// A hostile HTTP/2 client over a loopback socket: builds frames (valid or not) with its own HPACK encoder, sends
/// them as fast as the socket takes them, and reads in the background only what it needs to see the server's
/// verdict (RST_STREAM codes, GOAWAY, the close). Built on Hyper.Http2's public frame writer and HPACK encoder.
/// </summary>
internal sealed class Http2AttackClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly HpackEncoder _encoder = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;
    private int _refused;

    private Http2AttackClient(Socket socket) => _socket = socket;

    public static byte[] Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>Connects; <paramref name="receiveBuffer"/> shrinks SO_RCVBUF for a client that never reads.</summary>
    public static async Task<Http2AttackClient> ConnectAsync(int port, int? receiveBuffer = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer is { } size) socket.ReceiveBufferSize = size;
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return new Http2AttackClient(socket);
    }

    /// <summary>The GOAWAY error code, once one arrived (read by <see cref="StartReading"/>).</summary>
    public Http2ErrorCode? GoAwayCode { get; private set; }

    /// <summary>Completed when the server closed the connection (EOF or reset).</summary>
    public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int RefusedStreams => Volatile.Read(ref _refused);

    /// <summary>The preface, an empty SETTINGS and an ACK of the server's SETTINGS.</summary>
    public static byte[] Hello() => [.. Preface, .. Frame(Http2FrameType.Settings, Http2FrameFlags.None, 0, []), .. Frame(Http2FrameType.Settings, Http2FrameFlags.Ack, 0, [])];

    public static byte[] Frame(Http2FrameType type, Http2FrameFlags flags, int streamId, ReadOnlySpan<byte> payload)
    {
        var output = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WriteFrame(output, type, flags, streamId, payload);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Ping(ulong data)
    {
        var output = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WritePing(output, data, ack: false);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Settings(Http2SettingsParameter id, uint value)
    {
        var output = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WriteSettings(output, [(id, value)]);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] WindowUpdate(int streamId, int increment)
    {
        var output = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WriteWindowUpdate(output, streamId, increment);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] RstStream(int streamId)
    {
        var output = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WriteRstStream(output, streamId, Http2ErrorCode.Cancel);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A GET for <paramref name="path"/> as one HEADERS frame; the encoder's state follows the send order.</summary>
    public byte[] Get(int streamId, string path)
    {
        var block = new ArrayBufferWriter<byte>();
        _encoder.BeginBlock(block);
        foreach (var (name, value) in new[] { (":method", "GET"), (":scheme", "http"), (":path", path), (":authority", "127.0.0.1") })
            _encoder.Encode(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value), sensitive: false, block);
        return Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders | Http2FrameFlags.EndStream, streamId, block.WrittenSpan);
    }

    /// <summary>Sends; false once the server has closed the connection (the attack is over).</summary>
    public async Task<bool> TrySendAsync(byte[] bytes, TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        cts.CancelAfter(timeout);
        try
        {
            await _socket.SendAsync(bytes, SocketFlags.None, cts.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Reads frames in the background, noting REFUSED_STREAMs and the GOAWAY, until the server closes.</summary>
    public void StartReading() => _reader = Task.Run(ReadLoopAsync);

    /// <summary>Waits for the server to close; the elapsed time is the caller's to measure.</summary>
    public async Task<bool> WaitClosedAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(Closed.Task, Task.Delay(timeout));
        return finished == Closed.Task;
    }

    /// <summary>
    /// For a client that must not read (reading would let the server's flush go on): has the server closed? A closed
    /// or aborted server socket answers our bytes with a TCP reset, so a send fails within a few attempts.
    /// </summary>
    public async Task<bool> ProbeClosedWithoutReadingAsync(TimeSpan within)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < within)
        {
            if (!await TrySendAsync(Ping(0x70726f6265), TimeSpan.FromMilliseconds(200))) return true;
            await Task.Delay(50);
        }
        return false;
    }

    /// <summary>For a client that never read: has the server closed? Drains what it can to find out.</summary>
    public void StartDetectingClose() => _reader = Task.Run(async () =>
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) > 0)
            {
                // Only the close matters here; the bytes (PING ACKs, the GOAWAY) may be lost to a TCP reset anyway.
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (_stop.IsCancellationRequested) return;
        }
        Closed.TrySetResult();
    });

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[256 * 1024];
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var read = await _socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, _stop.Token);
                if (read == 0) break;
                length += read;
                var at = 0;
                while (length - at >= Http2FrameHeader.Size)
                {
                    var header = Http2FrameHeader.Read(buffer.AsSpan(at));
                    if (length - at - Http2FrameHeader.Size < header.Length) break;
                    var payload = buffer.AsSpan(at + Http2FrameHeader.Size, header.Length);
                    if (header.Type == Http2FrameType.RstStream && (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(payload) == Http2ErrorCode.RefusedStream)
                        Interlocked.Increment(ref _refused);
                    if (header.Type == Http2FrameType.GoAway) GoAwayCode = (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(payload[4..]);
                    at += Http2FrameHeader.Size + header.Length;
                }
                buffer.AsSpan(at, length - at).CopyTo(buffer);
                length -= at;
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (_stop.IsCancellationRequested) return;
        }
        Closed.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _socket.Dispose();
        if (_reader is not null) await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _stop.Dispose();
    }
}
