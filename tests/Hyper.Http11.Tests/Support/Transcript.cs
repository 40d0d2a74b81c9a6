using System.Buffers;
using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Protocols;

namespace Hyper.Http11.Tests.Support;

/// <summary>
/// Everything observable about one run: the events (consecutive body slices merged, since how the body is
/// sliced depends on how it arrived), the bytes written, and whether the connection ends.
/// </summary>
internal sealed record Transcript(IReadOnlyList<string> Events, string Output, bool ShouldClose, bool WantsInput)
{
    public static Transcript Of(Http11Harness harness) =>
        new(Describe(harness.Events), harness.OutputText, harness.Connection.ShouldClose, harness.Connection.WantsInput);

    public static List<string> Describe(IEnumerable<ProtocolEvent> events)
    {
        var lines = new List<string>();
        foreach (var e in events)
        {
            switch (e)
            {
                case RequestReceived r:
                    lines.Add($"received {r.StreamId} {DescribeHead(r.Head)}");
                    break;
                case RequestBodyReceived b:
                    var text = Encoding.Latin1.GetString(b.Data.ToArray());
                    var prefix = $"body {b.StreamId} ";
                    if (lines.Count > 0 && lines[^1].StartsWith(prefix, StringComparison.Ordinal)) lines[^1] += text;
                    else lines.Add(prefix + text);
                    break;
                case RequestBodyEnded end:
                    lines.Add($"ended {end.StreamId} trailers=[{DescribeFields(end.Trailers)}]");
                    break;
                case RequestRejected rej:
                    lines.Add($"rejected {rej.StreamId} {rej.StatusCode}");
                    break;
                case StreamCompleted c:
                    lines.Add($"completed {c.StreamId}");
                    break;
                case StreamAborted a:
                    lines.Add($"aborted {a.StreamId}");
                    break;
                default:
                    lines.Add(e.ToString());
                    break;
            }
        }
        return lines;
    }

    public static string DescribeHead(RequestHead head)
    {
        var query = head.QueryString.Length > 0 ? "?" + Latin1(head.QueryString) : "";
        return $"{head.Method} {Latin1(head.RawPath)}{query} HTTP/{head.HttpVersion} authority={Latin1(head.Authority)} " +
               $"body={head.HasBody} length={head.ContentLength?.ToString() ?? "-"} continue={head.ExpectsContinue} [{DescribeFields(head.Headers)}]";
    }

    private static string DescribeFields(IReadOnlyList<HeaderField>? fields) =>
        fields is null ? "" : string.Join("; ", fields.Select(f => $"{f.NameString}: {f.ValueString}"));

    private static string Latin1(ReadOnlyMemory<byte> bytes) => Encoding.Latin1.GetString(bytes.Span);
}
