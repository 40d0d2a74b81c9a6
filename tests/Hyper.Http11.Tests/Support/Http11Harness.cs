using System.Buffers;
using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;

namespace Hyper.Http11.Tests.Support;

/// <summary>
/// Plays the connection driver against one <see cref="Http11Connection"/>: keeps the unconsumed bytes, re-feeds
/// them with new ones, copies body slices out before the next call, and collects what was written.
/// </summary>
internal sealed class Http11Harness
{
    public const long Start = 10 * TimeSpan.TicksPerSecond;

    private readonly List<byte> _pending = [];

    public Http11Harness(Http11ConnectionSettings? settings = null)
    {
        Connection = new Http11Connection(settings ?? DefaultSettings(), new ConnectionInfo(null, null, IsTls: false));
        Connection.OnTimer(Start, Output); // tells the connection the time, as a driver's first deadline would
    }

    public Http11Connection Connection { get; }

    public ArrayBufferWriter<byte> Output { get; } = new();

    public List<ProtocolEvent> Events { get; } = [];

    public long Now { get; set; } = Start;

    public int PendingBytes => _pending.Count;

    public static Http11ConnectionSettings DefaultSettings(Http11Limits? limits = null) => new()
    {
        Limits = limits ?? new Http11Limits(),
        KeepAliveTimeout = TimeSpan.FromSeconds(5),
        KeepAliveMaxRequests = 1000,
        RequestHeadersTimeout = TimeSpan.FromSeconds(30),
        MinRequestBodyRate = 240,
        MinRequestBodyRateGrace = TimeSpan.FromSeconds(5),
    };

    /// <summary>Appends bytes and feeds everything unconsumed; <paramref name="cuts"/> split it into segments.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, params int[] cuts)
    {
        _pending.AddRange(bytes.ToArray());
        var all = _pending.ToArray();
        var sequence = cuts.Length == 0 ? new ReadOnlySequence<byte>(all) : SegmentedSequence.Split(all, cuts);
        FeedSequence(sequence);
    }

    public void Feed(string latin1, params int[] cuts) => Feed(Encoding.Latin1.GetBytes(latin1), cuts);

    /// <summary>Feeds everything unconsumed, each byte its own segment.</summary>
    public void FeedPerByteSegments(ReadOnlySpan<byte> bytes)
    {
        _pending.AddRange(bytes.ToArray());
        FeedSequence(SegmentedSequence.PerByte(_pending.ToArray()));
    }

    /// <summary>Feeds the unconsumed bytes again with nothing new, as a driver does after a response unpauses the parser.</summary>
    public void Pump() => Feed([]);

    private void FeedSequence(ReadOnlySequence<byte> sequence)
    {
        var position = Connection.Receive(sequence, Now, Output);
        var consumed = (int)sequence.Slice(sequence.Start, position).Length;
        CollectEvents();
        _pending.RemoveRange(0, consumed);
    }

    /// <summary>Takes the queued events, copying body bytes out of the receive buffer while it is still valid.</summary>
    public List<ProtocolEvent> CollectEvents()
    {
        var taken = new List<ProtocolEvent>();
        while (Connection.TryDequeueEvent(out var e))
        {
            taken.Add(e is RequestBodyReceived body ? body with { Data = new ReadOnlySequence<byte>(body.Data.ToArray()) } : e!);
        }
        Events.AddRange(taken);
        return taken;
    }

    public string OutputText => Encoding.Latin1.GetString(Output.WrittenSpan);

    /// <summary>Returns the output written so far and clears it.</summary>
    public string TakeOutput()
    {
        var text = OutputText;
        Output.Clear();
        return text;
    }

    public void Respond(long streamId, int status = 200, string body = "ok", params (string Name, string Value)[] headers) =>
        Connection.SendCompleteResponse(streamId, status, Fields(headers), Encoding.Latin1.GetBytes(body), Now, Output);

    public void RespondToRejection(RequestRejected rejected) =>
        Connection.StartResponse(rejected.StreamId, rejected.StatusCode, Fields(("content-length", "0")), endStream: true, Now, Output);

    public static IReadOnlyList<HeaderField> Fields(params (string Name, string Value)[] fields) =>
        fields.Select(f => new HeaderField(Encoding.Latin1.GetBytes(f.Name), Encoding.Latin1.GetBytes(f.Value))).ToArray();

    public T Single<T>() where T : ProtocolEvent => Events.OfType<T>().Should().ContainSingle().Subject;
}
