using System.Buffers;
using System.Text;
using Hyper.Core.Protocols;

namespace Hyper.Http11;

// The HTTP/1.1 side of a protocol switch (RFC 9110 §7.8, §15.2.2): 101, then silence.
public sealed partial class Http11Connection : IUpgradableStreamProtocol
{
    public void AcceptUpgrade(long streamId, string protocol, IBufferWriter<byte> output)
    {
        if (streamId != _streamId || _read != Http11ReadState.BodyComplete || _write != Http11WriteState.NotStarted)
            throw new InvalidOperationException("Only a fully read request with no response yet can switch protocols.");
        output.Write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: "u8);
        output.Write(Encoding.ASCII.GetBytes(protocol));
        output.Write("\r\n\r\n"u8);
        _write = Http11WriteState.Complete;
        _read = Http11ReadState.Upgraded;
    }
}
