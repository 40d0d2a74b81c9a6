using System.Net.Sockets;
using System.Text;

namespace Hyper.EndToEnd.Tests;

/// <summary>One HTTP/1.1 response as read off the wire.</summary>
public sealed record RawResponse(int Status, string StatusLine, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, bool Chunked)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>
/// A deliberately dumb HTTP/1.1 client over a raw socket: sends exactly the bytes a test gives and parses
/// responses strictly, so pipelining, smuggling attempts and trickling can be tested as a peer would do them.
/// </summary>
public sealed class RawHttpClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public RawHttpClient(Socket socket) => _socket = socket;

    public static async Task<RawHttpClient> ConnectAsync(TestServer server) => new(await server.ConnectAsync());

    public Socket Socket => _socket;

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _socket.SendAsync(bytes, SocketFlags.None);

    /// <summary>Reads one response; HEAD responses and 1xx/204/304 carry no body.</summary>
    public async Task<RawResponse> ReadResponseAsync(bool headRequest = false, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var statusLine = await ReadLineAsync(cts.Token) ?? throw new IOException("connection closed before a response");
        var parts = statusLine.Split(' ', 3);
        var status = int.Parse(parts[1]);
        var headers = new List<KeyValuePair<string, string>>();
        while (true)
        {
            var line = await ReadLineAsync(cts.Token) ?? throw new IOException("connection closed in headers");
            if (line.Length == 0) break;
            var colon = line.IndexOf(':');
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }
        var response = new RawResponse(status, statusLine, headers, [], false);
        if (headRequest || status is < 200 or 204 or 304) return response;
        var te = response.Header("transfer-encoding");
        var cl = response.Header("content-length");
        if (te is not null && te.Equals("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new MemoryStream();
            while (true)
            {
                var sizeLine = await ReadLineAsync(cts.Token) ?? throw new IOException("connection closed in chunked body");
                var size = Convert.ToInt32(sizeLine.Split(';')[0], 16);
                if (size == 0)
                {
                    while ((await ReadLineAsync(cts.Token) ?? throw new IOException("closed in trailers")).Length != 0) { }
                    break;
                }
                body.Write(await ReadExactlyAsync(size, cts.Token));
                if ((await ReadLineAsync(cts.Token))?.Length != 0) throw new IOException("bad chunk end");
            }
            return response with { Body = body.ToArray(), Chunked = true };
        }
        if (cl is not null) return response with { Body = await ReadExactlyAsync(int.Parse(cl), cts.Token) };
        return response with { Body = await ReadToEndAsync(cts.Token) };
    }

    /// <summary>True when the server closed the connection (EOF or reset) within the timeout.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                if (_start < _end) { _start = _end; continue; }
                var n = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cts.Token);
                if (n == 0) return true;
            }
        }
        catch (OperationCanceledException) { return false; }
        catch (SocketException) { return true; }
    }

    private async Task<byte[]> ReadToEndAsync(CancellationToken ct)
    {
        var all = new MemoryStream();
        while (true)
        {
            if (_start < _end) { all.Write(_buffer, _start, _end - _start); _start = _end; }
            if (!await FillAsync(ct)) return all.ToArray();
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken ct)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_start == _end && !await FillAsync(ct)) throw new IOException($"connection closed after {filled} of {count} body bytes");
            var n = Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, n);
            _start += n;
            filled += n;
        }
        return result;
    }

    private async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(ct)) return line.Length == 0 ? null : throw new IOException("closed mid-line");
            var b = _buffer[_start++];
            if (b == '\n')
            {
                if (line.Length > 0 && line[^1] == '\r') line.Length--;
                return line.ToString();
            }
            line.Append((char)b);
        }
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_start == _end) _start = _end = 0;
        try
        {
            var n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct);
            _end += n;
            return n > 0;
        }
        catch (SocketException) { return false; }
    }

    public void Dispose() => _socket.Dispose();
}
