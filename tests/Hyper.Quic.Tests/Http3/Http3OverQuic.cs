using System.Buffers;
using Hyper.Core.Protocols;
using Hyper.Http3;
using Hyper.Quic.Connection;
using Hyper.Quic.Tests.Connection;
using QuicConnectionEstablished = Hyper.Quic.Connection.ConnectionEstablished;

namespace Hyper.Quic.Tests.Http3;

/// <summary>
/// Test glue between a server <see cref="QuicConnection"/> (in a <see cref="QuicTestNetwork"/>) and an
/// <see cref="Http3Connection"/>: QUIC's stream events go to HTTP/3, HTTP/3's stream actions go to QUIC, and a small
/// application answers each request. It does what the server host's wiring will do, in the test's own thread.
/// </summary>
internal sealed class Http3OverQuic
{
    private static readonly ArrayBufferWriter<byte> Unused = new();

    private readonly Dictionary<ulong, byte[]> _held = [];
    private readonly HashSet<ulong> _heldFin = [];
    private readonly HashSet<ulong> _paused = [];
    private readonly HashSet<long> _openedByUs = [];
    private readonly Dictionary<long, List<byte>> _bodies = [];
    private readonly byte[] _readBuffer = new byte[16 * 1024];
    private int _seen;

    public Http3OverQuic(QuicTestNetwork network, Http3ConnectionOptions? options = null)
    {
        Network = network;
        network.ServerReads = false;
        Http3 = new Http3Connection(options ?? new Http3ConnectionOptions(), new ConnectionInfo(null, null, IsTls: true, "h3"));
    }

    public QuicTestNetwork Network { get; }

    public Http3Connection Http3 { get; }

    public List<ProtocolEvent> Events { get; } = [];

    /// <summary>How the application answers a complete request: (head, body) → (status, body, trailers or null).</summary>
    public Func<RequestHead, byte[], (int Status, byte[] Body, (string, string)[]? Trailers)> Application { get; set; } =
        (_, body) => (200, body, null);

    /// <summary>Requests whose handler has not returned: the application holds them (to test resets mid-request).</summary>
    public bool HoldRequests { get; set; }

    private long Now => Network.Now * 10; // microseconds to MonotonicTime ticks

    public bool RunUntil(Func<bool> condition, int maxSteps = 100_000)
    {
        for (var steps = 0; steps < maxSteps; steps++)
        {
            Process();
            Network.DrainServer();
            Network.FlushClient();
            if (condition()) return true;
            if (!Network.Step(Network.Now + 10_000_000)) break;
        }

        Process();
        return condition();
    }

    private void Process()
    {
        var server = Network.Server;
        if (server is null) return;
        for (; _seen < Network.ServerEvents.Count; _seen++)
        {
            switch (Network.ServerEvents[_seen])
            {
                case QuicConnectionEstablished:
                    Http3.ConnectionEstablished(Now);
                    break;
                case StreamDataAvailable available:
                    Read(available.StreamId);
                    break;
                case StreamResetByPeer reset:
                    _held.Remove(reset.StreamId);
                    Http3.ReceiveStreamReset((long)reset.StreamId, (long)reset.ApplicationErrorCode, Now);
                    break;
                case StreamStopSendingRequested stop:
                    Http3.ReceiveStopSending((long)stop.StreamId, (long)stop.ApplicationErrorCode, Now);
                    break;
                case ConnectionTerminated:
                    Http3.ReceiveCompleted(Now, Unused);
                    break;
            }

            ApplyActions();
            RunApplication();
        }

        ApplyActions();
        RunApplication();
    }

    /// <summary>Reads what QUIC has for the stream (reading is what grants the client credit) and feeds HTTP/3.</summary>
    private void Read(ulong streamId)
    {
        if (_paused.Contains(streamId)) return; // the bytes stay in QUIC, and so does the client's credit
        var server = Network.Server!;
        var data = _held.Remove(streamId, out var held) ? new List<byte>(held) : [];
        var fin = _heldFin.Remove(streamId);
        while (!fin)
        {
            var count = server.Read(streamId, _readBuffer, out var finished);
            data.AddRange(_readBuffer.AsSpan(0, count));
            fin = finished;
            if (count == 0) break;
        }

        if (data.Count == 0 && !fin) return;
        var bytes = data.ToArray();
        var consumed = Http3.ReceiveStreamData((long)streamId, bytes, fin, Now);
        if (consumed < bytes.Length)
        {
            _held[streamId] = bytes[consumed..];
            if (fin) _heldFin.Add(streamId);
            _paused.Add(streamId);
        }
    }

    private void ApplyActions()
    {
        var server = Network.Server!;
        while (Http3.TryDequeueStreamAction(out var action))
        {
            switch (action)
            {
                case SendStreamData send:
                    if ((send.StreamId & 0x3) == 0x3 && _openedByUs.Add(send.StreamId))
                    {
                        // Our unidirectional streams: QUIC hands out 3, 7, 11 in order (RFC 9000 §2.1).
                        server.OpenStream(bidirectional: false).Should().Be((ulong)send.StreamId);
                    }

                    server.Write((ulong)send.StreamId, send.Data.Span, send.Fin).Should().BeTrue($"stream {send.StreamId} can send");
                    break;
                case ResetSendingStream reset:
                    server.ResetStream((ulong)reset.StreamId, (ulong)reset.ErrorCode);
                    break;
                case StopReceivingStream stop:
                    server.StopSending((ulong)stop.StreamId, (ulong)stop.ErrorCode);
                    break;
                case ResumeStreamInput resume:
                    _paused.Remove((ulong)resume.StreamId);
                    Read((ulong)resume.StreamId);
                    break;
                case CloseQuicConnection close:
                    server.Close((ulong)close.ErrorCode, close.Reason, Network.Now);
                    break;
            }
        }
    }

    /// <summary>A handler per request, run inline: collects the body, then answers.</summary>
    private void RunApplication()
    {
        while (Http3.TryDequeueEvent(out var e))
        {
            Events.Add(e!);
            switch (e)
            {
                case RequestBodyReceived body:
                    _bodies[body.StreamId].AddRange(body.Data.ToArray());
                    Http3.RequestBodyConsumed(body.StreamId, (int)body.Data.Length, Now, Unused);
                    break;
                case RequestReceived received:
                    _bodies[received.StreamId] = [];
                    break;
                case RequestBodyEnded ended when !HoldRequests:
                    var head = Events.OfType<RequestReceived>().Single(r => r.StreamId == ended.StreamId).Head;
                    var (status, responseBody, trailers) = Application(head, [.. _bodies[ended.StreamId]]);
                    if (trailers is null)
                    {
                        Http3.SendCompleteResponse(ended.StreamId, status, [], responseBody, Now, Unused);
                    }
                    else
                    {
                        Http3.StartResponse(ended.StreamId, status, [], endStream: false, Now, Unused);
                        Http3.SendBody(ended.StreamId, responseBody, endStream: false, Now, Unused);
                        Http3.SendTrailers(ended.StreamId, trailers.Select(t => new Hyper.Core.Application.HeaderField(
                            System.Text.Encoding.ASCII.GetBytes(t.Item1), System.Text.Encoding.ASCII.GetBytes(t.Item2))).ToArray(), Now, Unused);
                    }

                    Http3.HandlerCompleted(ended.StreamId, Unused);
                    break;
                case StreamAborted aborted:
                    Http3.HandlerCompleted(aborted.StreamId, Unused);
                    break;
            }

            ApplyActions();
        }
    }
}
