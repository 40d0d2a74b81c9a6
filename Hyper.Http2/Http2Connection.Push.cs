using System.Buffers;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;

namespace Hyper.Http2;

// Server push (RFC 9113 §8.4), driven by the ASGI http.response.push extension. A promised stream is reserved
// (local) and then carries a response like any other; its handler counts against concurrency like a request's.
public sealed partial class Http2Connection
{
    private int _nextPushId = 2;
    private int _peerMaxConcurrentStreams = int.MaxValue;
    private int _pushedOpen;

    public bool PushAllowed => _peerEnablePush && !_goAwaySent && !_shouldClose;

    public long Push(long streamId, RequestHead request, long now, IBufferWriter<byte> output)
    {
        // §8.4: only on a client stream that is open or half-closed (remote), and only while the client allows it.
        if (!PushAllowed || !TryGetSendable(streamId, out var parent) || streamId % 2 == 0) return 0;
        // The peer's SETTINGS_MAX_CONCURRENT_STREAMS bounds the streams we open (§5.1.2); our handler limit too.
        if (_pushedOpen >= _peerMaxConcurrentStreams || _busySlots >= _limits.MaxConcurrentStreams) return 0;
        var promisedId = _nextPushId;
        _nextPushId += 2;

        var block = _headerScratch;
        block.ResetWrittenCount();
        _encoder.BeginBlock(block);
        // §8.4.1: a promised request is safe and cacheable, without content: GET with the parent's scheme and authority.
        _encoder.Encode(":method"u8, "GET"u8, sensitive: false, block);
        _encoder.Encode(":scheme"u8, _info.IsTls ? "https"u8 : "http"u8, sensitive: false, block);
        _encoder.Encode(":authority"u8, request.Authority.Span, sensitive: false, block);
        var path = request.QueryString.IsEmpty
            ? request.RawPath.ToArray()
            : [.. request.RawPath.Span, (byte)'?', .. request.QueryString.Span];
        _encoder.Encode(":path"u8, path, sensitive: false, block);
        foreach (var field in request.Headers)
        {
            if (IsConnectionSpecific(field.Name.Span) || field.NameIs("host"u8)) continue;
            _encoder.Encode(field.Name.Span, field.Value.Span, IsSensitive(field.Name.Span), block);
        }
        Http2FrameWriter.WritePushPromise(output, parent.Id, promisedId, block.WrittenSpan, _peerMaxFrameSize);

        var stream = new Http2Stream(promisedId, _peerInitialWindow, 0)
        {
            // Reserved (local) behaves as half-closed (remote) for us: nothing will arrive, the response goes out.
            State = Http2StreamState.HalfClosedRemote,
            HandlerRunning = true,
            HoldsSlot = true,
            IsPush = true,
        };
        _streams.Add(promisedId, stream);
        _openStreams++;
        _pushedOpen++;
        _handlersRunning++;
        _busySlots++;
        _events.Enqueue(new RequestReceived(promisedId, request));
        _events.Enqueue(new RequestBodyEnded(promisedId, null));
        return promisedId;
    }
}
