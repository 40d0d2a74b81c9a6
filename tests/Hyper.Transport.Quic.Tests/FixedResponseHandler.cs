using Hyper.Quic.Connection;
using Hyper.Quic.Packets;

namespace Hyper.Transport.Quic.Tests;

/// <summary>
/// A stand-in for HTTP/3 (built separately): it opens the control stream with an empty SETTINGS frame (RFC 9114
/// §6.2.1) and answers every client bidirectional stream, once the request on it is complete, with HEADERS
/// (":status 200", QPACK static index 25) and one DATA frame holding <see cref="Body"/>.
/// </summary>
internal sealed class FixedResponseHandlerFactory(byte[] body) : IQuicConnectionHandlerFactory
{
    public byte[] Body { get; } = body;

    public IReadOnlyList<string> ApplicationProtocols => ["h3"];

    public ulong NoErrorCode => 0x100;

    public ulong InternalErrorCode => 0x102;

    public int Established;

    public int Responses;

    public int Closed;

    public IQuicConnectionHandler Create(IQuicConnectionContext connection)
    {
        Interlocked.Increment(ref Established);
        var control = connection.OpenStream(bidirectional: false)!.Value;
        connection.Write(control, [0x00, 0x04, 0x00], fin: false);
        return new Handler(this, connection);
    }

    private sealed class Handler(FixedResponseHandlerFactory factory, IQuicConnectionContext connection) : IQuicConnectionHandler
    {
        private readonly byte[] _scratch = new byte[65536];
        private readonly HashSet<ulong> _answered = [];

        public void OnStreamReadable(ulong streamId)
        {
            bool finished;
            while (connection.Read(streamId, _scratch, out finished) > 0) { }
            if (finished && (streamId & 0x3) == 0 && _answered.Add(streamId))
            {
                connection.Write(streamId, Response(factory.Body), fin: true);
                Interlocked.Increment(ref factory.Responses);
            }
        }

        public void OnStreamReset(ulong streamId, ulong applicationErrorCode) { }

        public void OnStopSending(ulong streamId, ulong applicationErrorCode) { }

        public void OnStreamWritable(ulong streamId) { }

        public void OnClosed(ConnectionTerminated reason) => Interlocked.Increment(ref factory.Closed);
    }

    private static byte[] Response(byte[] body)
    {
        var response = new List<byte> { 0x01, 0x03, 0x00, 0x00, 0xd9 };
        if (body.Length == 0) return [.. response];
        response.Add(0x00);
        var length = new byte[8];
        VariableLengthInteger.TryWrite(length, (ulong)body.Length, out var written);
        response.AddRange(length[..written]);
        response.AddRange(body);
        return [.. response];
    }
}
