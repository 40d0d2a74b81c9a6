using System.Buffers;
using System.IO.Pipelines;

namespace Hyper.Core.Connections;

/// <summary>
/// Tells an HTTP/2 prior-knowledge connection (RFC 9113 §3.3) from an HTTP/1.1 one on a shared cleartext port by
/// its first bytes, without consuming them: the chosen protocol reads them again. Only as many bytes as it takes
/// to rule the preface in or out are waited for, so an HTTP/1.1 request line is never delayed by more than
/// its first differing byte.
/// </summary>
public static class PrefaceSniffer
{
    /// <summary>The client connection preface (RFC 9113 §3.4).</summary>
    public static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public enum Result
    {
        Http11,
        Http2,

        /// <summary>The peer closed, or sent nothing before the idle timeout: nothing to serve.</summary>
        Closed,
    }

    public static async ValueTask<Result> SniffAsync(PipeReader input, TimeSpan idleTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        // The timeout is a token source that owns its timer, on the backend's clock (fake time in tests, the loop's
        // timer queue on single-thread-loop). Never a hand-made timer whose callback cancels a source disposed here:
        // when the peer's close and the timer came together, that callback ran after the dispose and threw on a
        // thread-pool thread, which ended the process (issue #9). A source's own timer tolerates a late firing.
        using var idle = idleTimeout > TimeSpan.Zero ? new CancellationTokenSource(idleTimeout, time) : null;
        using var timeout = idle is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(timeout.Token);
                var buffer = result.Buffer;
                var decision = Classify(buffer);
                if (decision is { } known)
                {
                    input.AdvanceTo(buffer.Start);
                    return known;
                }
                if (result.IsCompleted)
                {
                    input.AdvanceTo(buffer.Start);
                    // A short, preface-like fragment then EOF: let HTTP/1.1 answer it (with a 400) unless it is empty.
                    return buffer.IsEmpty ? Result.Closed : Result.Http11;
                }
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            return Result.Closed;
        }
    }

    /// <summary>
    /// <see cref="Result.Http2"/> when the buffer starts with the whole preface, <see cref="Result.Http11"/> when it
    /// cannot be the preface, and null while the bytes so far are a strict prefix of it.
    /// </summary>
    public static Result? Classify(in ReadOnlySequence<byte> buffer)
    {
        var preface = Preface;
        var length = (int)Math.Min(buffer.Length, preface.Length);
        Span<byte> head = stackalloc byte[24];
        buffer.Slice(0, length).CopyTo(head);
        if (!head[..length].SequenceEqual(preface[..length])) return Result.Http11;
        return length == preface.Length ? Result.Http2 : null;
    }
}
