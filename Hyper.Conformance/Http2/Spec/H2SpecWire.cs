using System.Net.Sockets;
using Hyper.Conformance.Http2.Client;

namespace Hyper.Conformance.Http2.Spec;

/// <summary>
/// The client end of one case's TCP connection: writes bytes, and turns what the server sends into a stream of
/// <see cref="H2SpecWireEvent"/>s (a frame, the close, a timeout, an HTTP/1.1 answer, unreadable bytes). Every wait
/// is bounded by <c>timeout</c>, counted afresh for each event as h2spec's <c>WaitEvent</c> does.
/// </summary>
internal sealed class H2SpecWire(Socket socket, Http2ClientCodec codec, TimeSpan timeout)
{
    private readonly Queue<ReceivedFrame> _frames = new();
    private readonly byte[] _buffer = new byte[64 * 1024];
    private bool _anyBytes;
    private bool _ended;

    public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        if (_ended || bytes.Length == 0) return;
        try
        {
            await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
        }
        catch (SocketException)
        {
            // The server may close as soon as it has seen the error; what it sent before is still readable.
        }
    }

    public async Task<H2SpecWireEvent> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_frames.TryDequeue(out var frame)) return new H2SpecWireEvent(H2SpecWireEventKind.Frame, frame, null);
            if (_ended) return new H2SpecWireEvent(H2SpecWireEventKind.Closed, null, null);
            int read;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                read = await socket.ReceiveAsync(_buffer, SocketFlags.None, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _ended = true;
                return new H2SpecWireEvent(H2SpecWireEventKind.Timeout, null, $"nothing within {timeout.TotalSeconds:0.#} s");
            }
            catch (SocketException)
            {
                read = 0; // a reset is a close, as h2spec reads ECONNRESET
            }
            if (read == 0)
            {
                _ended = true;
                continue;
            }
            if (!_anyBytes && _buffer.AsSpan(0, read).StartsWith("HTTP/1."u8))
            {
                _ended = true;
                var line = System.Text.Encoding.ASCII.GetString(_buffer, 0, read).Split("\r\n")[0];
                return new H2SpecWireEvent(H2SpecWireEventKind.Http11Answer, null, line);
            }
            _anyBytes = true;
            try
            {
                foreach (var received in codec.Read(_buffer.AsSpan(0, read))) _frames.Enqueue(received);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _ended = true;
                return new H2SpecWireEvent(H2SpecWireEventKind.Unreadable, null, e.Message);
            }
        }
    }
}

internal enum H2SpecWireEventKind
{
    Frame,
    Closed,
    Timeout,
    Http11Answer,
    Unreadable,
}

internal readonly record struct H2SpecWireEvent(H2SpecWireEventKind Kind, ReceivedFrame? Frame, string? Detail)
{
    public override string ToString() => Kind switch
    {
        H2SpecWireEventKind.Frame => Frame!.ToString(),
        H2SpecWireEventKind.Closed => "connection closed",
        H2SpecWireEventKind.Timeout => $"timeout ({Detail})",
        H2SpecWireEventKind.Http11Answer => $"HTTP/1.1 answer \"{Detail}\"",
        _ => $"unreadable bytes ({Detail})",
    };
}
