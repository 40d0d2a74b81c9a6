using System.Buffers;
using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;
using Hyper.Http2;

namespace Hyper.Fuzz.Targets;

/// <summary>
/// FZ-04: the HTTP/2 connection (frame reader, HPACK, stream states, flow control, flood limits) fed the client
/// preface followed by arbitrary bytes, each complete request answered at once and each body slice handed back
/// as consumed, as an application reading its body would. Invariants: no exception escapes (protocol errors become
/// RST_STREAM or GOAWAY); while the connection asks for input it leaves at most one frame unconsumed; the same
/// bytes split differently give the same events.
/// </summary>
public sealed class Http2ConnectionTarget : IFuzzTarget
{
    private const long Now = 10 * TimeSpan.TicksPerSecond;

    // Small limits and bursts, so that the fuzzer reaches the limit and flood checks with short inputs.
    private static readonly Http2ConnectionSettings Settings = new()
    {
        Limits = new Http2Limits
        {
            MaxConcurrentStreams = 8,
            MaxTrackedStreams = 16,
            MaxHeaderListSize = 2048,
            MaxStreamResponseBuffer = 1024,
            InitialStreamWindowSize = 1024,
            GlitchBurst = 40,
            ResetBurst = 40,
            ControlBurst = 40,
            MaxRefusedStreams = 8,
            MaxContinuationFrames = 4,
        },
        MaxHeaderCount = 16,
        MaxBodySize = 8192,
        MaxRequests = 32,
    };

    /// <summary>The client connection preface (RFC 9113 §3.4), put before every input so the fuzzer starts in frames.</summary>
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>One frame: its 9-byte header and the largest payload we accept (RFC 9113 §4.1, §4.2).</summary>
    public static readonly int MaxBuffered = 9 + Settings.Limits.MaxInboundFrameSize;

    private static readonly IReadOnlyList<HeaderField> ResponseFields = [new("content-type"u8.ToArray(), "text/plain"u8.ToArray())];

    public string Name => "http2-connection";

    public void Run(ReadOnlySpan<byte> input)
    {
        var framed = new byte[Preface.Length + input.Length];
        Preface.CopyTo(framed, 0);
        input.CopyTo(framed.AsSpan(Preface.Length));

        string? first = null;
        foreach (var plan in Delivery.Plans(framed))
        {
            var transcript = Play(framed, plan);
            if (first is null) first = transcript;
            else if (transcript != first)
                throw new FuzzInvariantException($"split into {plan.Length} reads the input gives other events:\n--- whole\n{first}\n--- split\n{transcript}");
        }
    }

    private static string Play(ReadOnlySpan<byte> input, int[] plan)
    {
        var connection = new Http2Connection(Settings, new ConnectionInfo(null, null, IsTls: false));
        var output = new ArrayBufferWriter<byte>();
        var buffer = new ReceiveBuffer();
        var log = new StringBuilder();
        var bodies = new Dictionary<long, long>();
        var handlers = new HashSet<long>();
        var answered = new HashSet<long>();

        var offset = 0;
        foreach (var size in plan)
        {
            buffer.Append(input.Slice(offset, size));
            offset += size;
            var fed = buffer.Sequence;
            var position = connection.Receive(fed, Now, output);
            buffer.Consume(fed, position);
            Drain(connection, output, log, bodies, handlers, answered);
            if (connection.ShouldClose) break;
            if (connection.WantsInput && buffer.Length > MaxBuffered + Preface.Length)
                throw new FuzzInvariantException($"{buffer.Length} unconsumed bytes buffered while asking for more (limit {MaxBuffered})");
        }
        if (!connection.ShouldClose) connection.ReceiveCompleted(Now, output);
        Drain(connection, output, log, bodies, handlers, answered);
        // Streams are independent (RFC 9113 §5): how reads fall may interleave their events differently, but each
        // stream's own sequence must not change.
        var byStream = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select((line, index) => (Stream: long.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), index, line))
            .OrderBy(e => e.Stream).ThenBy(e => e.index).Select(e => e.line);
        return string.Join('\n', byStream) + "\nclose=" + connection.ShouldClose;
    }

    /// <summary>
    /// Plays the application side as the connection driver would: a handler per request that reads its whole body
    /// and answers at its end; a rejected request gets the rejection status (or, answered already, a reset); an
    /// aborted stream's handler returns. Each handler's return is reported once, as the driver does.
    /// </summary>
    private static void Drain(Http2Connection connection, ArrayBufferWriter<byte> output, StringBuilder log, Dictionary<long, long> bodies, HashSet<long> handlers, HashSet<long> answered)
    {
        while (connection.TryDequeueEvent(out var e))
        {
            switch (e)
            {
                case RequestReceived r:
                    log.Append("request ").Append(r.StreamId).Append(' ').Append(r.Head.Method).Append(' ')
                        .Append(Encoding.Latin1.GetString(r.Head.RawPath.Span)).Append(" fields=").Append(r.Head.Headers.Count).Append('\n');
                    handlers.Add(r.StreamId);
                    break;
                case RequestBodyReceived b:
                    // Slices differ with the reads; only the total is part of the answer.
                    bodies[b.StreamId] = bodies.GetValueOrDefault(b.StreamId) + b.Data.Length;
                    if (bodies[b.StreamId] > Settings.MaxBodySize)
                        throw new FuzzInvariantException($"stream {b.StreamId} delivered {bodies[b.StreamId]} body bytes over max_body_size {Settings.MaxBodySize}");
                    connection.RequestBodyConsumed(b.StreamId, (int)b.Data.Length, Now, output);
                    break;
                case RequestBodyEnded end:
                    log.Append("body ").Append(end.StreamId).Append(' ').Append(bodies.GetValueOrDefault(end.StreamId))
                        .Append(" trailers=").Append(end.Trailers?.Count ?? 0).Append('\n');
                    if (handlers.Contains(end.StreamId) && answered.Add(end.StreamId))
                    {
                        connection.SendCompleteResponse(end.StreamId, 200, ResponseFields, "ok"u8, Now, output);
                        Complete(connection, end.StreamId, output, handlers);
                    }
                    break;
                case RequestRejected rejected:
                    log.Append("rejected ").Append(rejected.StreamId).Append(' ').Append(rejected.StatusCode).Append('\n');
                    // The driver answers only streams it started a handler for (ConnectionDriver.RejectMultiplexed).
                    if (!handlers.Contains(rejected.StreamId)) break;
                    if (answered.Add(rejected.StreamId)) connection.SendCompleteResponse(rejected.StreamId, rejected.StatusCode, [], [], Now, output);
                    else connection.AbortStream(rejected.StreamId, output);
                    Complete(connection, rejected.StreamId, output, handlers);
                    break;
                // How a stream ends depends on when its answer went out relative to the reads (an answer given after
                // a read that also carried a connection error is aborted; given a read earlier, it completed), so
                // these are not compared; what the client sent is.
                case StreamAborted aborted:
                    Complete(connection, aborted.StreamId, output, handlers);
                    break;
                case StreamCompleted or StreamWritable:
                    break;
                default:
                    log.Append(e!.GetType().Name).Append(' ').Append(e.StreamId).Append('\n');
                    break;
            }
        }
    }

    private static void Complete(Http2Connection connection, long streamId, ArrayBufferWriter<byte> output, HashSet<long> handlers)
    {
        if (handlers.Remove(streamId)) connection.HandlerCompleted(streamId, output);
    }
}
