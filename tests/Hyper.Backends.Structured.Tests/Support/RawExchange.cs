using System.Net.Sockets;
using System.Text;

namespace Hyper.Backends.Structured.Tests.Support;

/// <summary>One request written on a raw socket, and the response's status and body read back (content-length framed).</summary>
public static class RawExchange
{
    public static async Task SendGetAsync(Socket socket, string path) =>
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n"), SocketFlags.None);

    public static async Task<(int Status, string Body)> ReadResponseAsync(Socket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.ASCII.GetString(received.ToArray());
            var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headerEnd >= 0)
            {
                var length = ContentLength(text[..headerEnd]);
                if (received.Count >= headerEnd + 4 + length)
                    return (int.Parse(text.Split(' ', 3)[1]), text.Substring(headerEnd + 4, length));
            }
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            if (read == 0) throw new IOException($"connection closed after {received.Count} bytes");
            received.AddRange(buffer.AsSpan(0, read));
        }
    }

    /// <summary>True once the server has closed the connection (EOF or reset) within <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitForCloseAsync(Socket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0) { }
            return true;
        }
        catch (SocketException) { return true; }
        catch (OperationCanceledException) { return false; }
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase)) return int.Parse(line[15..].Trim());
        }
        return 0;
    }
}
