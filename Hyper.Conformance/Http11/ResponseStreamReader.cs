using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Hyper.Conformance.Http11;

/// <summary>
/// Reads HTTP/1.1 responses from a socket, one after another, until the server closes. Lenient only where a
/// client may be (it accepts any reason phrase); framing follows RFC 9112 §6.3 for responses to non-HEAD
/// requests, which is all the vectors send.
/// </summary>
internal sealed class ResponseStreamReader(Socket socket)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>True once the peer has closed or reset the connection.</summary>
    public bool Closed { get; private set; }

    /// <summary>The next response, or null when the connection closed cleanly between responses.</summary>
    public async Task<ObservedResponse?> ReadAsync(CancellationToken cancel)
    {
        var statusLine = await ReadLineAsync(cancel);
        if (statusLine is null) return null;
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            throw new InvalidDataException($"not a status line: {EchoedRequest.Printable(statusLine)}");

        var headers = new List<KeyValuePair<string, string>>();
        while (true)
        {
            var line = await ReadLineAsync(cancel) ?? throw new InvalidDataException("connection closed inside a response head");
            if (line.Length == 0) break;
            var colon = line.IndexOf(':');
            if (colon <= 0) throw new InvalidDataException($"not a field line: {EchoedRequest.Printable(line)}");
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        var response = new ObservedResponse(status, headers, []);
        // RFC 9112 §6.3 rule 1: 1xx, 204 and 304 responses end at the head.
        if (status is < 200 or 204 or 304) return response;
        var transferEncoding = response.Header("transfer-encoding");
        var contentLength = response.Header("content-length");
        if (transferEncoding is not null) return response with { Body = await ReadChunkedAsync(cancel) };
        if (contentLength is not null) return response with { Body = await ReadExactlyAsync(long.Parse(contentLength, CultureInfo.InvariantCulture), cancel) };
        return response with { Body = await ReadToEndAsync(cancel) };
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancel)
    {
        var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync(cancel) ?? throw new InvalidDataException("connection closed inside a chunked body");
            var size = long.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while ((await ReadLineAsync(cancel) ?? throw new InvalidDataException("connection closed inside trailers")).Length != 0) { }
                return body.ToArray();
            }
            body.Write(await ReadExactlyAsync(size, cancel));
            if (await ReadLineAsync(cancel) is not "") throw new InvalidDataException("chunk data not followed by CRLF");
        }
    }

    private async Task<byte[]> ReadExactlyAsync(long count, CancellationToken cancel)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_start == _end && !await FillAsync(cancel)) throw new InvalidDataException($"connection closed after {filled} of {count} body bytes");
            var n = (int)Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, n);
            _start += n;
            filled += n;
        }
        return result;
    }

    private async Task<byte[]> ReadToEndAsync(CancellationToken cancel)
    {
        var all = new MemoryStream();
        do
        {
            all.Write(_buffer, _start, _end - _start);
            _start = _end;
        }
        while (await FillAsync(cancel));
        return all.ToArray();
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancel)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancel))
                return line.Length == 0 ? null : throw new InvalidDataException("connection closed inside a line");
            var b = _buffer[_start++];
            if (b == (byte)'\n')
            {
                if (line.Length > 0 && line[^1] == '\r') line.Length--;
                return line.ToString();
            }
            line.Append((char)b);
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancel)
    {
        if (Closed) return false;
        if (_start == _end) _start = _end = 0;
        try
        {
            var n = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancel);
            _end += n;
            Closed = n == 0;
        }
        catch (SocketException)
        {
            // A reset after the last response is a close too: a server that closes with unread input sends RST.
            Closed = true;
        }
        return !Closed;
    }
}
