using System.Buffers;
using Hyper.Core.Application;
using Hyper.Core.Protocols;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Connections;

// Switching a connection from HTTP/1.1 to HTTP/2 with "Upgrade: h2c" (RFC 7540 §3.2), decided here because only the
// driver knows both protocols; neither protocol references the other (DESIGN §1).
public sealed partial class ConnectionDriver
{
    /// <summary>Under the gate, while dispatching HTTP/1.1 events: switches when the request asks for h2c and may have it.</summary>
    private bool TryUpgrade(RequestReceived received)
    {
        var target = _server.H2cUpgrade;
        // H2-16: never on TLS (ALPN decides there), only when allowed, and only for a request without a body:
        // a body would have to be read as HTTP/1.1 before the switch, which Hyper does not do (it is then served
        // as plain HTTP/1.1, which RFC 9110 §7.8 allows).
        if (target is null || _info.IsTls || _protocol is not IUpgradableStreamProtocol upgradable || received.Head.HasBody) return false;
        if (!H2cUpgradeRequest.TryParse(received.Head, target.UpgradeToken, out var settings)) return false;

        // The new protocol's opening is made first, aside: settings it cannot use mean no switch at all (the request
        // is then answered as HTTP/1.1), so the 101 goes out only for a switch that will happen.
        var opening = new System.Buffers.ArrayBufferWriter<byte>(64);
        var upgraded = target.CreateUpgraded(_info with { NegotiatedAlpn = "h2c" }, received.Head, settings.Span, Now, opening);
        if (upgraded is null)
        {
            _server.Logger.LogDebug("Ignoring an h2c upgrade from {Remote}: invalid HTTP2-Settings", _info.Remote);
            return false;
        }
        // Drop the HTTP/1.1 side's remaining events (the body end of this request) before it goes quiet.
        while (_protocol.TryDequeueEvent(out _)) { }
        upgradable.AcceptUpgrade(received.StreamId, target.UpgradeToken, _writer);
        _writer.Write(opening.WrittenSpan);
        UseProtocol(upgraded);
        // Bytes after the request head (the client's preface) may already be buffered: read them at once.
        _readBuffered = true;
        WakeOwner();
        return true;
    }
}
