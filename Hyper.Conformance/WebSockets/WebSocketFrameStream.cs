using System.Buffers.Binary;

namespace Hyper.Conformance.WebSockets;

/// <summary>
/// Reads the server's frames (RFC 6455 §5.2) from a transport. Every wait is bounded by the timeout, counted afresh
/// for each read. Returns null at the end of the stream; throws <see cref="TimeoutException"/> when the server says
/// nothing in time.
/// </summary>
internal sealed class WebSocketFrameStream(IWebSocketCaseTransport transport, TimeSpan timeout)
{
    private readonly byte[] _chunk = new byte[256 * 1024];
    private byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;

    public async Task<ServerFrame?> NextAsync(CancellationToken cancellationToken)
    {
        if (!await EnsureAsync(2, cancellationToken)) return null;
        var first = _buffer[_start];
        var second = _buffer[_start + 1];
        var headerLength = 2;
        ulong length = (ulong)(second & 0x7F);
        if (length == 126)
        {
            if (!await EnsureAsync(4, cancellationToken)) return null;
            length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + 2));
            headerLength = 4;
        }
        else if (length == 127)
        {
            if (!await EnsureAsync(10, cancellationToken)) return null;
            length = BinaryPrimitives.ReadUInt64BigEndian(_buffer.AsSpan(_start + 2));
            headerLength = 10;
        }
        var masked = (second & 0x80) != 0;
        if (masked) headerLength += 4;
        if (length > int.MaxValue / 2) throw new InvalidDataException($"the server announced a {length}-byte frame");
        if (!await EnsureAsync(headerLength + (int)length, cancellationToken)) return null;
        var payload = _buffer.AsSpan(_start + headerLength, (int)length).ToArray();
        if (masked)
        {
            var key = _buffer.AsSpan(_start + headerLength - 4, 4);
            for (var i = 0; i < payload.Length; i++) payload[i] ^= key[i & 3];
        }
        _start += headerLength + (int)length;
        return new ServerFrame((first & 0x80) != 0, (first >> 4) & 0x7, first & 0x0F, masked, payload);
    }

    /// <summary>True when the server ends the stream with nothing more (or only bytes after its Close, which are ignored).</summary>
    public async Task<bool> ReachesEndAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                if (await transport.ReceiveAsync(_chunk, deadline.Token) == 0) return true;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    private async Task<bool> EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
        {
            if (_buffer.Length - _start < count)
            {
                var bigger = new byte[Math.Max(_buffer.Length, count * 2)];
                _buffer.AsSpan(_start, _end - _start).CopyTo(bigger);
                _end -= _start;
                _start = 0;
                _buffer = bigger;
            }
            else if (_buffer.Length - _end < count - (_end - _start))
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            int read;
            try
            {
                read = await transport.ReceiveAsync(_buffer.AsMemory(_end), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the server sent nothing within {timeout.TotalSeconds:0.#} s");
            }
            if (read == 0) return false;
            _end += read;
        }
        return true;
    }
}
