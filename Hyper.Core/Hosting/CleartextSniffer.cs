using System.Buffers;
using System.IO.Pipelines;
using Hyper.Core.Protocols;

namespace Hyper.Core.Hosting;

/// <summary>
/// Chooses the protocol of a cleartext connection on a port several protocols share (HTTP/1.1 and HTTP/2 with prior
/// knowledge, RFC 9113 §3.3) by its first bytes, without consuming them: the chosen protocol reads them again. The
/// registered preface matchers decide; only as many bytes as it takes to rule every preface in or out are waited for.
/// </summary>
internal static class CleartextSniffer
{
    /// <summary>
    /// The protocol whose preface the first bytes carry, the registry's default when they match none, or null when
    /// the peer closed, or sent nothing decisive within <paramref name="idleTimeout"/>, or
    /// <paramref name="cancellationToken"/> fired (shutdown): there is nothing to serve.
    /// </summary>
    public static async ValueTask<IStreamProtocolFactory?> SniffAsync(PipeReader input, ProtocolRegistry protocols, TimeSpan idleTimeout,
        TimeProvider time, CancellationToken cancellationToken)
    {
        // The backend's clock owns the deadline (tests use fake time, the loop backend its own timer queue). A
        // CancellationTokenSource with a TimeProvider owns its timer and stops it on dispose, so no callback can reach
        // a disposed source (issue #9 was a hand-made timer that did).
        using var idle = new CancellationTokenSource(idleTimeout > TimeSpan.Zero ? idleTimeout : Timeout.InfiniteTimeSpan, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(linked.Token);
                var buffer = result.Buffer;
                var decision = Decide(protocols, buffer);
                if (decision is not null)
                {
                    input.AdvanceTo(buffer.Start);
                    return decision;
                }
                if (result.IsCompleted)
                {
                    input.AdvanceTo(buffer.Start);
                    // A short, preface-like fragment then EOF: the default protocol answers it (HTTP/1.1 with a 400)
                    // unless nothing came at all.
                    return buffer.IsEmpty ? null : protocols.Default;
                }
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// The first registration whose preface matches, the default protocol once every preface says no, or null while
    /// some preface still needs more bytes.
    /// </summary>
    public static IStreamProtocolFactory? Decide(ProtocolRegistry protocols, in ReadOnlySequence<byte> firstBytes)
    {
        var undecided = false;
        foreach (var registration in protocols.CleartextPrefaces)
        {
            switch (registration.CleartextPreface!.Match(firstBytes))
            {
                case PrefaceMatch.Match:
                    return registration.Factory;
                case PrefaceMatch.NeedMoreBytes:
                    undecided = true;
                    break;
            }
        }
        return undecided ? null : protocols.Default;
    }
}
