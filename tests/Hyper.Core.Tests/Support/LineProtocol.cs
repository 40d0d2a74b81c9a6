using System.Buffers;
using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Protocols;

namespace Hyper.Core.Tests.Support;

/// <summary>
/// A toy one-request-at-a-time protocol for driver tests: each input line is a GET for that path, a response is
/// written as <c>STATUS BODY\n</c>, and an idle connection closes after <see cref="IdleTimeout"/>. Sans-IO like the
/// real ones: time comes in as <c>now</c>, output goes to the writer it is given.
/// </summary>
internal sealed class LineProtocol(long startedAt) : IStreamProtocol
{
    private readonly Queue<ProtocolEvent> _events = new();
    private long _streamId;
    private bool _busy;
    private long _idleSince = startedAt;

    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public int Requests { get; private set; }

    public SequencePosition Receive(in ReadOnlySequence<byte> data, long now, IBufferWriter<byte> output)
    {
        var reader = new SequenceReader<byte>(data);
        while (!_busy && reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            _busy = true;
            Requests++;
            _streamId++;
            var head = new RequestHead
            {
                Method = "GET",
                RawPath = line.ToArray(),
                QueryString = ReadOnlyMemory<byte>.Empty,
                HttpVersion = "1.1",
                Headers = [],
            };
            _events.Enqueue(new RequestReceived(_streamId, head));
            _events.Enqueue(new RequestBodyEnded(_streamId, null));
        }
        return reader.Position;
    }

    public void ReceiveCompleted(long now, IBufferWriter<byte> output)
    {
        if (_busy) _events.Enqueue(new StreamAborted(_streamId, "client closed"));
        ShouldClose = true;
    }

    public bool TryDequeueEvent(out ProtocolEvent? protocolEvent) => _events.TryDequeue(out protocolEvent);

    public void StartResponse(long streamId, int status, IReadOnlyList<HeaderField> headers, bool endStream, long now, IBufferWriter<byte> output)
    {
        output.Write(Encoding.ASCII.GetBytes($"{status} "));
        if (endStream) End(now, output);
    }

    public void SendCompleteResponse(long streamId, int status, IReadOnlyList<HeaderField> headers, ReadOnlySpan<byte> body, long now, IBufferWriter<byte> output)
    {
        output.Write(Encoding.ASCII.GetBytes($"{status} "));
        output.Write(body);
        End(now, output);
    }

    public void SendBody(long streamId, ReadOnlySpan<byte> data, bool endStream, long now, IBufferWriter<byte> output)
    {
        output.Write(data);
        if (endStream) End(now, output);
    }

    public void SendTrailers(long streamId, IReadOnlyList<HeaderField> trailers, long now, IBufferWriter<byte> output) => End(now, output);

    public void SendInformational(long streamId, int status, IReadOnlyList<HeaderField> headers, IBufferWriter<byte> output) { }

    public void RequestBodyWanted(long streamId, long now, IBufferWriter<byte> output) { }

    public void AbortStream(long streamId, IBufferWriter<byte> output) => ShouldClose = true;

    public void BeginShutdown(long now, IBufferWriter<byte> output)
    {
        if (!_busy) ShouldClose = true;
    }

    public void OnTimer(long now, IBufferWriter<byte> output)
    {
        if (!_busy && now >= NextDeadline) ShouldClose = true;
    }

    public long NextDeadline => _busy || ShouldClose ? long.MaxValue : MonotonicTime.After(_idleSince, IdleTimeout);

    public bool WantsInput => !_busy;

    public bool ShouldClose { get; private set; }

    private void End(long now, IBufferWriter<byte> output)
    {
        output.Write("\n"u8);
        _busy = false;
        _idleSince = now;
        _events.Enqueue(new StreamCompleted(_streamId));
    }
}
