using System.Buffers;

namespace Hyper.Core.Protocols;

/// <summary>
/// A protocol that can hand its connection over to another one after a request asked for it (HTTP/1.1's
/// <c>Upgrade</c>, RFC 9110 §7.8). The driver decides; the protocol only writes its side of the switch.
/// </summary>
public interface IUpgradableStreamProtocol : IStreamProtocol
{
    /// <summary>
    /// Answers the request on <paramref name="streamId"/> with <c>101 Switching Protocols</c> to
    /// <paramref name="protocol"/> and stops parsing: every byte after that request's head belongs to the new
    /// protocol, which the driver feeds from then on.
    /// </summary>
    void AcceptUpgrade(long streamId, string protocol, IBufferWriter<byte> output);
}
