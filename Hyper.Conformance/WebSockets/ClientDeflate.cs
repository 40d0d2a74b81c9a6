using System.IO.Compression;

namespace Hyper.Conformance.WebSockets;

/// <summary>
/// The client's side of permessage-deflate (RFC 7692 §7.2), built on the runtime's raw DEFLATE rather than on the
/// server's zlib binding, so compression is checked against an independent implementation. Compressing: a
/// sync-flushed DEFLATE stream with the trailing 00 00 FF FF removed (§7.2.1), one stream for the whole connection
/// when the client keeps its context, a new one per message when <c>client_no_context_takeover</c> was agreed.
/// Inflating the server's messages: the tail is put back (§7.2.2) and the message inflated after all the earlier ones
/// of the same context, since with context takeover a message may refer back into them.
/// </summary>
public sealed class ClientDeflate(bool clientNoContextTakeover, bool serverNoContextTakeover) : IDisposable
{
    private static readonly byte[] Tail = [0x00, 0x00, 0xFF, 0xFF];
    private readonly MemoryStream _compressed = new();
    private DeflateStream? _deflater;
    private readonly MemoryStream _serverContext = new();
    private long _serverContextOutput;

    public bool ClientNoContextTakeover => clientNoContextTakeover;

    public bool ServerNoContextTakeover => serverNoContextTakeover;

    /// <summary>The payload of a compressed message (RSV1 set on its first frame).</summary>
    public byte[] Compress(ReadOnlySpan<byte> message)
    {
        if (_deflater is null || clientNoContextTakeover)
        {
            _deflater?.Dispose();
            _compressed.SetLength(0);
            _deflater = new DeflateStream(_compressed, CompressionLevel.Optimal, leaveOpen: true);
        }
        var start = _compressed.Length;
        _deflater.Write(message);
        _deflater.Flush();
        var output = _compressed.ToArray()[(int)start..];
        // RFC 7692 §7.2.1: remove the 4-octet tail a sync flush ends with.
        return output.AsSpan().EndsWith(Tail) ? output[..^4] : output;
    }

    /// <summary>Inflates a compressed message the server sent (its frames' payloads joined).</summary>
    public byte[] Inflate(ReadOnlySpan<byte> payload)
    {
        if (serverNoContextTakeover)
        {
            _serverContext.SetLength(0);
            _serverContextOutput = 0;
        }
        _serverContext.Write(payload);
        _serverContext.Write(Tail);
        // Replays the whole context; quadratic in the number of messages, which a case keeps small.
        using var inflater = new DeflateStream(new MemoryStream(_serverContext.ToArray()), CompressionMode.Decompress);
        var everything = new MemoryStream();
        inflater.CopyTo(everything);
        var message = everything.ToArray()[(int)_serverContextOutput..];
        _serverContextOutput = everything.Length;
        return message;
    }

    public void Dispose()
    {
        _deflater?.Dispose();
        _compressed.Dispose();
        _serverContext.Dispose();
    }
}
