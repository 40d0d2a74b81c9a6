using System.Buffers;
using Hyper.Conformance.Http2.Client;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;

namespace Hyper.Http2.Tests.Support;

/// <summary>
/// Plays both the driver and the client against one in-memory <see cref="Http2Connection"/>: feeds client bytes
/// (whole, split, or byte by byte), keeps what the connection did not consume, decodes the frames it wrote with a
/// client codec, and copies events out before the next call. Time is explicit.
/// </summary>
internal sealed class Http2Harness
{
    public const long Start = 10 * TimeSpan.TicksPerSecond;

    private readonly List<byte> _pending = [];

    public Http2Harness(Http2ConnectionSettings? settings = null)
    {
        Settings = settings ?? DefaultSettings();
        Connection = new Http2Connection(Settings, new ConnectionInfo(null, null, IsTls: false));
    }

    public Http2ConnectionSettings Settings { get; }
    public Http2Connection Connection { get; }
    public Http2ClientCodec Client { get; } = new();
    public ArrayBufferWriter<byte> Output { get; } = new();
    public List<ProtocolEvent> Events { get; } = [];
    public List<ReceivedFrame> Frames { get; } = [];
    public long Now { get; set; } = Start;

    public static Http2ConnectionSettings DefaultSettings(Http2Limits? limits = null) => new()
    {
        Limits = limits ?? new Http2Limits(),
        KeepAliveTimeout = TimeSpan.FromSeconds(5),
        RequestHeadersTimeout = TimeSpan.FromSeconds(30),
        MinResponseRate = 240,
        MinResponseRateGrace = TimeSpan.FromSeconds(5),
    };

    /// <summary>Sends the preface and an empty SETTINGS, and ACKs the server's SETTINGS; clears what it saw.</summary>
    public Http2Harness Handshake()
    {
        Send(Http2ClientCodec.Hello());
        Send(Http2ClientCodec.SettingsAck());
        TakeFrames();
        TakeEvents();
        return this;
    }

    /// <summary>Appends client bytes and feeds everything unconsumed; <paramref name="cuts"/> split it into segments.</summary>
    public void Send(ReadOnlySpan<byte> bytes, params int[] cuts)
    {
        _pending.AddRange(bytes.ToArray());
        var all = _pending.ToArray();
        var sequence = cuts.Length == 0 ? new ReadOnlySequence<byte>(all) : Segments.Split(all, cuts);
        var position = Connection.Receive(sequence, Now, Output);
        _pending.RemoveRange(0, (int)sequence.Slice(sequence.Start, position).Length);
        Collect();
    }

    /// <summary>Feeds bytes one call per byte, as the slowest possible network would deliver them.</summary>
    public void SendByteByByte(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) Send([b]);
    }

    public int PendingBytes => _pending.Count;

    public void Get(int streamId, string path = "/", bool endStream = true, params (string, string)[] extra) =>
        Send(Client.Headers(streamId, Http2ClientCodec.Request(path, extra: extra), endStream));

    public void Advance(TimeSpan by)
    {
        Now += by.Ticks;
        if (Now >= Connection.NextDeadline) Connection.OnTimer(Now, Output);
        Collect();
    }

    /// <summary>Runs a protocol command as the driver would, then collects output and events.</summary>
    public void Do(Action<Http2Connection, IBufferWriter<byte>> command)
    {
        command(Connection, Output);
        Collect();
    }

    public void Respond(int streamId, int status = 200, string body = "ok") =>
        Do((c, o) => c.SendCompleteResponse(streamId, status, [HeaderField.Of("content-type", "text/plain")], System.Text.Encoding.UTF8.GetBytes(body), Now, o));

    public List<ReceivedFrame> TakeFrames()
    {
        var taken = Frames.ToList();
        Frames.Clear();
        return taken;
    }

    public List<ProtocolEvent> TakeEvents()
    {
        var taken = Events.ToList();
        Events.Clear();
        return taken;
    }

    public ReceivedFrame? GoAway => Frames.LastOrDefault(f => f.Type == Http2FrameType.GoAway);

    public ReceivedFrame? Reset(int streamId) => Frames.LastOrDefault(f => f.Type == Http2FrameType.RstStream && f.StreamId == streamId);

    private void Collect()
    {
        while (Connection.TryDequeueEvent(out var e))
            Events.Add(e is RequestBodyReceived body ? body with { Data = new ReadOnlySequence<byte>(body.Data.ToArray()) } : e!);
        if (Output.WrittenCount > 0)
        {
            Frames.AddRange(Client.Read(Output.WrittenSpan));
            Output.ResetWrittenCount();
        }
    }
}
