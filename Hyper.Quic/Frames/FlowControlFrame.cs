namespace Hyper.Quic.Frames;

/// <summary>
/// The credit frames, which all carry one limit and, for the per-stream ones, a stream ID (RFC 9000 §19.9-§19.14):
/// MAX_DATA and DATA_BLOCKED (connection bytes), MAX_STREAM_DATA and STREAM_DATA_BLOCKED (<see cref="StreamId"/>'s
/// bytes), MAX_STREAMS and STREAMS_BLOCKED (a stream count, bidirectional or unidirectional by frame type).
/// </summary>
public readonly record struct FlowControlFrame(ulong StreamId, ulong Limit);
