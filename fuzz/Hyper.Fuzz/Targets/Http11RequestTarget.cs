using System.Buffers;
using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;
using Hyper.Http11;

namespace Hyper.Fuzz.Targets;

/// <summary>
/// FZ-01: the HTTP/1.1 connection (request-line and field parser, header validation, Content-Length and chunked body
/// decoders, trailers, pipelining) fed arbitrary bytes as a client would send them, each request answered at once.
/// Invariants: no exception escapes (a bad request is answered, not thrown); while the connection asks for input,
/// the bytes it leaves unconsumed stay within the head limits; the same bytes split differently give the same
/// events and the same output.
/// </summary>
public sealed class Http11RequestTarget : IFuzzTarget
{
    private const long Now = 10 * TimeSpan.TicksPerSecond;

    // Small limits, so that the fuzzer reaches every limit check with short inputs.
    private static readonly Http11Limits Limits = new()
    {
        MaxRequestLineSize = 512,
        MaxHeaderSize = 2048,
        MaxHeaderCount = 16,
        MaxBodySize = 4096,
        MaxChunkLineSize = 128,
        MaxTrailerSize = 512,
    };

    private static readonly Http11ConnectionSettings Settings = new()
    {
        Limits = Limits,
        KeepAliveTimeout = TimeSpan.FromSeconds(5),
        KeepAliveMaxRequests = 100,
        RequestHeadersTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The most a connection may leave buffered while it still wants input: one head (line, fields, CRLFs).</summary>
    public static readonly int MaxBuffered = Limits.MaxRequestLineSize + Limits.MaxHeaderSize + 4;

    private static readonly IReadOnlyList<HeaderField> ResponseFields = [new("content-length"u8.ToArray(), "2"u8.ToArray())];
    private static readonly IReadOnlyList<HeaderField> EmptyBodyFields = [new("content-length"u8.ToArray(), "0"u8.ToArray())];

    public string Name => "http11-request";

    public void Run(ReadOnlySpan<byte> input)
    {
        string? first = null;
        foreach (var plan in Delivery.Plans(input))
        {
            var transcript = Play(input, plan);
            if (first is null) first = transcript;
            else if (transcript != first)
                throw new FuzzInvariantException($"split into {plan.Length} reads the input is answered differently:\n--- whole\n{first}\n--- split\n{transcript}");
        }
    }

    private static string Play(ReadOnlySpan<byte> input, int[] plan)
    {
        var connection = new Http11Connection(Settings, new ConnectionInfo(null, null, IsTls: false));
        var output = new ArrayBufferWriter<byte>();
        var buffer = new ReceiveBuffer();
        var log = new StringBuilder();
        var bodies = new Dictionary<long, long>();
        connection.OnTimer(Now, output);

        var offset = 0;
        foreach (var size in plan)
        {
            buffer.Append(input.Slice(offset, size));
            offset += size;
            // Answering a request lets the connection read the next pipelined one: feed again until nothing moves.
            while (Feed(connection, buffer, output, log, bodies)) { }
            if (connection.ShouldClose) break;
            if (connection.WantsInput && buffer.Length > MaxBuffered)
                throw new FuzzInvariantException($"{buffer.Length} unconsumed bytes buffered while asking for more (limit {MaxBuffered})");
        }
        if (!connection.ShouldClose) connection.ReceiveCompleted(Now, output);
        Drain(connection, output, log, bodies);

        log.Append("close=").Append(connection.ShouldClose).Append('\n');
        // RFC 9110 §10.1.1: a 100 Continue is owed only while the body has not arrived, so whether one is written
        // depends on how the reads fell; everything else must not.
        log.Append(Encoding.Latin1.GetString(output.WrittenSpan).Replace("HTTP/1.1 100 Continue\r\n\r\n", "", StringComparison.Ordinal));
        return log.ToString();
    }

    /// <summary>One receive and the answers to its events; true when the answers may let more input be read.</summary>
    private static bool Feed(Http11Connection connection, ReceiveBuffer buffer, ArrayBufferWriter<byte> output, StringBuilder log, Dictionary<long, long> bodies)
    {
        if (connection.ShouldClose) return false;
        var before = buffer.Length;
        var fed = buffer.Sequence;
        var position = connection.Receive(fed, Now, output);
        buffer.Consume(fed, position);
        var answered = Drain(connection, output, log, bodies);
        return answered && (buffer.Length > 0 || before > 0);
    }

    private static bool Drain(Http11Connection connection, ArrayBufferWriter<byte> output, StringBuilder log, Dictionary<long, long> bodies)
    {
        var answered = false;
        while (connection.TryDequeueEvent(out var e))
        {
            switch (e)
            {
                case RequestReceived r:
                    log.Append("request ").Append(r.StreamId).Append(' ').Append(r.Head.Method).Append(' ')
                        .Append(Encoding.Latin1.GetString(r.Head.RawPath.Span)).Append(" fields=").Append(r.Head.Headers.Count)
                        .Append(" length=").Append(r.Head.ContentLength).Append('\n');
                    // An application that reads the body: a 100 Continue is owed to a client that asked for one.
                    connection.RequestBodyWanted(r.StreamId, Now, output);
                    break;
                case RequestBodyReceived b:
                    // Body slices differ with the reads; only their total is part of the answer.
                    bodies[b.StreamId] = bodies.GetValueOrDefault(b.StreamId) + b.Data.Length;
                    if (bodies[b.StreamId] > Limits.MaxBodySize)
                        throw new FuzzInvariantException($"stream {b.StreamId} delivered {bodies[b.StreamId]} body bytes over max_body_size {Limits.MaxBodySize}");
                    break;
                case RequestBodyEnded end:
                    log.Append("body ").Append(end.StreamId).Append(' ').Append(bodies.GetValueOrDefault(end.StreamId))
                        .Append(" trailers=").Append(end.Trailers?.Count ?? 0).Append('\n');
                    if (!connection.ShouldClose)
                    {
                        connection.SendCompleteResponse(end.StreamId, 200, ResponseFields, "ok"u8, Now, output);
                        answered = true;
                    }
                    break;
                case RequestRejected rejected:
                    log.Append("rejected ").Append(rejected.StreamId).Append(' ').Append(rejected.StatusCode).Append('\n');
                    connection.StartResponse(rejected.StreamId, rejected.StatusCode, EmptyBodyFields, endStream: true, Now, output);
                    answered = true;
                    break;
                default:
                    log.Append(e!.GetType().Name).Append(' ').Append(e.StreamId).Append('\n');
                    break;
            }
        }
        return answered;
    }
}
