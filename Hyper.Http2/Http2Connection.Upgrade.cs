using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using Hyper.Core.Application;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;

namespace Hyper.Http2;

// HTTP/2 after an HTTP/1.1 "Upgrade: h2c" (RFC 7540 §3.2; RFC 9113 §3.1 deprecates it but clients still send it):
// the upgrading request is stream 1, half-closed (remote); its HTTP2-Settings header holds the client's SETTINGS.
public sealed partial class Http2Connection
{
    /// <summary>
    /// Starts the connection from an upgrade: our SETTINGS go out first, the client's HTTP2-Settings apply as if it
    /// had sent them, and <paramref name="request"/> becomes stream 1. False when the settings header is invalid
    /// (RFC 7540 §3.2.1: base64url of a SETTINGS payload).
    /// </summary>
    internal bool StartUpgraded(RequestHead request, ReadOnlySpan<byte> http2Settings, long now, IBufferWriter<byte> output)
    {
        var payload = new byte[Base64Url.GetMaxDecodedLength(http2Settings.Length)];
        if (Base64Url.DecodeFromUtf8(http2Settings, payload, out _, out var length) != OperationStatus.Done || length % 6 != 0
            || length / 6 > _limits.MaxSettingsEntries)
            return false;
        try
        {
            for (var at = 0; at < length; at += 6)
            {
                var id = (Http2SettingsParameter)BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(at));
                ApplySetting(id, BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(at + 2)), output);
            }
        }
        catch (Http2ConnectionException)
        {
            return false;
        }
        // Our SETTINGS are the first frame after the 101 (RFC 7540 §3.2); nothing was written before this point.
        Start(now, output);
        var stream = new Http2Stream(1, _peerInitialWindow, _limits.InitialStreamWindowSize)
        {
            State = Http2StreamState.HalfClosedRemote,
            IsHead = request.Method == "HEAD",
            HandlerRunning = true,
            HoldsSlot = true,
        };
        _streams.Add(1, stream);
        _lastStreamId = 1;
        _openStreams++;
        _handlersRunning++;
        _busySlots++;
        _requestCount++;
        _events.Enqueue(new RequestReceived(1, new RequestHead
        {
            Method = request.Method,
            RawPath = request.RawPath,
            QueryString = request.QueryString,
            HttpVersion = "2",
            // The hop-by-hop fields of the switch are HTTP/1.1's business, not the application's.
            Headers = request.Headers.Where(h => !h.NameIs("connection"u8) && !h.NameIs("upgrade"u8) && !h.NameIs("http2-settings"u8)).ToArray(),
            Authority = request.Authority,
            HasBody = false,
        }));
        _events.Enqueue(new RequestBodyEnded(1, null));
        return true;
    }
}
