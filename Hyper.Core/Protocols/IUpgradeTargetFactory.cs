using System.Buffers;

namespace Hyper.Core.Protocols;

/// <summary>
/// A protocol a connection can switch to in the middle (HTTP/2 through <c>Upgrade: h2c</c>, RFC 7540 §3.2): the
/// request that asked for the switch becomes the new protocol's first stream.
/// </summary>
public interface IUpgradeTargetFactory : IStreamProtocolFactory
{
    /// <summary>The upgrade token this factory answers (<c>h2c</c>).</summary>
    string UpgradeToken { get; }

    /// <summary>
    /// Creates the protocol for a connection that just switched: <paramref name="request"/> (already answered
    /// with 101) is its stream 1, and <paramref name="upgradeSettings"/> is the request's protocol-specific
    /// settings header (HTTP2-Settings). Writes the new protocol's opening (the server SETTINGS) into
    /// <paramref name="output"/>; returns null when the settings are invalid, and the switch is then not made.
    /// </summary>
    IStreamProtocol? CreateUpgraded(ConnectionInfo connection, RequestHead request, ReadOnlySpan<byte> upgradeSettings, long now, IBufferWriter<byte> output);
}
