namespace Hyper.Quic.Frames;

/// <summary>A RESET_STREAM frame (RFC 9000 §19.4): the sender abandons a stream at a final size.</summary>
public readonly record struct ResetStreamFrame(ulong StreamId, ulong ApplicationErrorCode, ulong FinalSize);
