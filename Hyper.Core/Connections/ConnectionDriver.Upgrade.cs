using System.Buffers;
using Hyper.Core.Http;
using Hyper.Core.Protocols;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Connections;

// Switching a connection to another protocol with "Upgrade" (RFC 9110 §7.8), e.g. HTTP/1.1 to HTTP/2 with h2c
// (RFC 7540 §3.2). Decided here because only the driver holds both protocols; neither references the other, and
// which tokens exist is the protocol registry's business (docs/protocol-registry.md).
internal sealed partial class ConnectionDriver
{
    /// <summary>Under the gate, while dispatching events: switches when the request asks for a registered token and its target accepts.</summary>
    private bool TryUpgrade(RequestReceived received)
    {
        var upgrades = _server.Protocols.Upgrades;
        // Only a protocol that can hand over (HTTP/1.1) is left this way, and only for a request without a body: a
        // body would have to be read by the old protocol before the switch, which Hyper does not do (the request is
        // then served without switching, which RFC 9110 §7.8 allows).
        if (upgrades.Count == 0 || _protocol is not IUpgradableStreamProtocol upgradable || received.Head.HasBody) return false;
        if (!UpgradeRequest.AsksForUpgrade(received.Head)) return false;
        foreach (var registration in upgrades)
        {
            var token = registration.UpgradeToken!;
            if (!UpgradeRequest.ListsToken(received.Head, token)) continue;
            // The new protocol's opening is made first, aside: a target that declines (HTTP/2: invalid HTTP2-Settings,
            // or a TLS connection) means no switch at all, so the 101 goes out only for a switch that will happen.
            var opening = new ArrayBufferWriter<byte>(64);
            var upgraded = ((IUpgradeTargetFactory)registration.Factory).CreateUpgraded(_info, received.Head, Now, opening);
            if (upgraded is null)
            {
                _server.Logger.LogDebug("Ignoring an upgrade to {Token} from {Remote}: the protocol declined it", token, _info.Remote);
                continue;
            }
            // Drop the old side's remaining events (the body end of this request) before it goes quiet.
            while (_protocol.TryDequeueEvent(out _)) { }
            upgradable.AcceptUpgrade(received.StreamId, token, _writer);
            _writer.Write(opening.WrittenSpan);
            UseProtocol(upgraded);
            // Bytes after the request head (the new protocol's first bytes) may already be buffered: read them at once.
            _readBuffered = true;
            WakeOwner();
            return true;
        }
        return false;
    }
}
