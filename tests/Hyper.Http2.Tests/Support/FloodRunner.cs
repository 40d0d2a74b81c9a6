using System.Buffers;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;

namespace Hyper.Http2.Tests.Support;

/// <summary>
/// Drives an attack straight into a harness's <see cref="Http2Connection"/> (after its handshake), batch by batch,
/// as a driver would: events are drained after each batch, the output is scanned for RST_STREAM / GOAWAY without
/// keeping it, and only the bytes allocated <em>inside</em> the connection's calls are counted. Allocation bounds
/// retention, so an allocation budget is a memory bound that does not depend on the GC or on other tests.
/// </summary>
internal sealed class FloodRunner(Http2Harness harness)
{
    private readonly ArrayBufferWriter<byte> _output = new(1024 * 1024);

    public long FramesSent { get; private set; }
    public long BytesSent { get; private set; }
    public long AllocatedBytes { get; private set; }
    public long OutputBytes { get; private set; }
    public Http2ErrorCode? GoAwayCode { get; private set; }
    public int GoAwayLastStreamId { get; private set; }
    public Dictionary<Http2ErrorCode, int> Resets { get; } = [];
    public int RequestsReceived { get; private set; }
    public int MaxHandlersRunning { get; private set; }
    public int MaxTrackedStreams { get; private set; }

    /// <summary>The frame count at which the connection decided to close, or null.</summary>
    public long? ClosedAtFrame { get; private set; }

    /// <summary>Called with each event drained, e.g. to complete handlers as an application would.</summary>
    public Action<ProtocolEvent>? OnEvent { get; init; }

    /// <summary>Sends <paramref name="count"/> frames made by <paramref name="frame"/>(index), <paramref name="batch"/> per read, until the connection closes.</summary>
    public FloodRunner Run(Func<int, byte[]> frame, int count, int batch = 64)
    {
        var connection = harness.Connection;
        for (var start = 0; start < count && !connection.ShouldClose; start += batch)
        {
            var frames = Enumerable.Range(start, Math.Min(batch, count - start)).Select(frame).ToList();
            var bytes = frames.SelectMany(f => f).ToArray();
            var before = GC.GetAllocatedBytesForCurrentThread();
            connection.Receive(new ReadOnlySequence<byte>(bytes), harness.Now, _output);
            AllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before;
            BytesSent += bytes.Length;
            FramesSent += frames.Count;
            Drain();
            // With batch 1 this is the exact frame; handlers completed while draining may close it too (graceful end).
            if (connection.ShouldClose) ClosedAtFrame ??= start + frames.Count;
        }
        return this;
    }

    /// <summary>Runs a protocol command, counting its allocations like a received batch.</summary>
    public void Do(Action<Http2Connection, IBufferWriter<byte>> command)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        command(harness.Connection, _output);
        AllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        Drain();
    }

    private void Drain()
    {
        var connection = harness.Connection;
        while (connection.TryDequeueEvent(out var e))
        {
            if (e is RequestReceived) RequestsReceived++;
            OnEvent?.Invoke(e!);
        }
        MaxHandlersRunning = Math.Max(MaxHandlersRunning, connection.HandlersRunning);
        MaxTrackedStreams = Math.Max(MaxTrackedStreams, connection.TrackedStreams);
        Scan(_output.WrittenSpan);
        OutputBytes += _output.WrittenCount;
        _output.ResetWrittenCount();
    }

    private void Scan(ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length >= Http2FrameHeader.Size)
        {
            var header = Http2FrameHeader.Read(bytes);
            var payload = bytes.Slice(Http2FrameHeader.Size, header.Length);
            if (header.Type == Http2FrameType.RstStream)
            {
                var code = (Http2ErrorCode)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload);
                Resets[code] = Resets.GetValueOrDefault(code) + 1;
            }
            else if (header.Type == Http2FrameType.GoAway)
            {
                GoAwayLastStreamId = (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFF_FFFF);
                GoAwayCode = (Http2ErrorCode)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload[4..]);
            }
            bytes = bytes[(Http2FrameHeader.Size + header.Length)..];
        }
    }
}
