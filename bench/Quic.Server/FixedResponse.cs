using Hyper.Quic.Connection;
using Hyper.Quic.Packets;
using Hyper.Transport.Quic;

/// <summary>
/// Until HTTP/3 exists: an empty SETTINGS on the control stream, and for each complete request a HEADERS frame
/// (":status 200", QPACK static index 25) and one DATA frame with the body.
/// </summary>
internal sealed class FixedResponse(byte[] body) : IQuicConnectionHandlerFactory
{
    private readonly byte[] _response = Frame(body);

    public IReadOnlyList<string> ApplicationProtocols => ["h3"];

    public ulong NoErrorCode => 0x100;

    public ulong InternalErrorCode => 0x102;

    public IQuicConnectionHandler Create(IQuicConnectionContext connection)
    {
        var control = connection.OpenStream(bidirectional: false)!.Value;
        connection.Write(control, [0x00, 0x04, 0x00], fin: false);
        return new Handler(_response, connection);
    }

    private static byte[] Frame(byte[] body)
    {
        var response = new List<byte> { 0x01, 0x03, 0x00, 0x00, 0xd9, 0x00 };
        var length = new byte[8];
        VariableLengthInteger.TryWrite(length, (ulong)body.Length, out var written);
        response.AddRange(length[..written]);
        response.AddRange(body);
        return [.. response];
    }

    private sealed class Handler(byte[] response, IQuicConnectionContext connection) : IQuicConnectionHandler
    {
        private readonly byte[] _scratch = new byte[16384];

        public void OnStreamReadable(ulong streamId)
        {
            bool finished;
            while (connection.Read(streamId, _scratch, out finished) > 0) { }
            if (finished && (streamId & 0x3) == 0) connection.Write(streamId, response, fin: true);
        }

        public void OnStreamReset(ulong streamId, ulong applicationErrorCode) { }

        public void OnStopSending(ulong streamId, ulong applicationErrorCode) { }

        public void OnStreamWritable(ulong streamId) { }

        public void OnClosed(ConnectionTerminated reason) { }
    }
}
