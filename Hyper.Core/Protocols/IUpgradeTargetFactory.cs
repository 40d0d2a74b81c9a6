using System.Buffers;

namespace Hyper.Core.Protocols;

/// <summary>
/// A protocol a connection can switch to in the middle (HTTP/2 through <c>Upgrade: h2c</c>, RFC 7540 §3.2): the
/// request that asked for the switch becomes the new protocol's first stream. Its Upgrade token is given by its
/// <see cref="ProtocolRegistration.UpgradeToken"/>.
/// </summary>
public interface IUpgradeTargetFactory : IStreamProtocolFactory
{
    /// <summary>
    /// Creates the protocol for a connection whose request <paramref name="request"/> asked for this protocol's
    /// Upgrade token: that request (answered with 101 once this returns a protocol) becomes its first stream. The
    /// target checks what only it knows (HTTP/2: one valid <c>HTTP2-Settings</c>, a cleartext connection) and
    /// returns null when the switch must not happen; the request is then served by the current protocol. On
    /// success it writes the new protocol's opening (HTTP/2: the server SETTINGS) into <paramref name="output"/>.
    /// </summary>
    IStreamProtocol? CreateUpgraded(ConnectionInfo connection, RequestHead request, long now, IBufferWriter<byte> output);
}
