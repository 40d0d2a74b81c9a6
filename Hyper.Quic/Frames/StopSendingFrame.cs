namespace Hyper.Quic.Frames;

/// <summary>A STOP_SENDING frame (RFC 9000 §19.5): the receiver asks the peer to stop sending on a stream.</summary>
public readonly record struct StopSendingFrame(ulong StreamId, ulong ApplicationErrorCode);
