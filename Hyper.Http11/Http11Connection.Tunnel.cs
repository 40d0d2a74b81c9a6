using System.Buffers;
using Hyper.Core.Application;
using Hyper.Http11.Writing;

namespace Hyper.Http11;

// A request answered 101 by its own stream (a WebSocket, RFC 6455 §4.2.2): unlike an Upgrade to another HTTP protocol
// (h2c, Http11Connection.Upgrade.cs), the stream stays the one it was, and the connection becomes a raw byte pipe for
// it in both directions: received bytes are its body, its body is written as it is. Its end closes the connection.
public sealed partial class Http11Connection
{
    /// <summary>
    /// Writes <c>101 Switching Protocols</c> with <paramref name="headers"/> and turns the connection into the stream's
    /// tunnel. Only a request that asked for it (an <c>Upgrade</c> field, RFC 9110 §7.8) and whose body is fully read
    /// (an upgrade request has none here) may switch: the next bytes must be the new protocol's.
    /// </summary>
    private void StartTunnel(long streamId, IReadOnlyList<HeaderField> headers, long now, IBufferWriter<byte> output)
    {
        if (ShouldClose) return;
        if (!IsCurrentStream(streamId)) throw new InvalidOperationException($"stream {streamId} is not the request in flight");
        if (_write != Http11WriteState.NotStarted) throw new InvalidOperationException("the response has already started");
        if (_request is not { IsHttp10: false } request || !HeaderFields.Contains(request.Head.Headers, "upgrade"u8))
            throw new InvalidOperationException("101 answers only an HTTP/1.1 request with an Upgrade field (RFC 9110 §15.2.2)");
        if (_read != Http11ReadState.BodyComplete)
            throw new InvalidOperationException("101 needs the request body read first: later bytes belong to the new protocol");
        ResponseFields.Inspect(headers);
        Http11ResponseWriter.WriteStatusLine(output, 101);
        Http11ResponseWriter.WriteFields(output, headers);
        Http11ResponseWriter.WriteEndOfHead(output);
        _framing = ResponseFraming.Tunnel;
        _keepAlive = false;
        _write = Http11WriteState.SendingBody;
        _read = Http11ReadState.Tunnel;
        _lastInputAt = now;
    }

    /// <summary>Every received byte is the tunnelled stream's.</summary>
    private void ReceiveTunnelled(in ReadOnlySequence<byte> data, ref long consumed)
    {
        var rest = data.Slice(consumed);
        if (rest.IsEmpty) return;
        consumed += rest.Length;
        _events.Enqueue(new Hyper.Core.Protocols.RequestBodyReceived(_streamId, rest));
    }
}
