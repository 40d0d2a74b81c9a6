using System.Text;
using Hyper.Core.Protocols;

namespace Hyper.Http11.Tests.Support;

/// <summary>
/// Feeds one input every way a transport could deliver it and asserts each yields the same transcript:
/// whole; one byte per call; in one call split into two segments at every position; one segment per byte.
/// A canned driver answers each request once its body has ended (200 "ok") and each rejection with its status.
/// </summary>
internal static class FeedVariants
{
    public static Transcript Run(string latin1, Http11ConnectionSettings? settings = null) => Run(Encoding.Latin1.GetBytes(latin1), settings);

    public static Transcript Run(byte[] input, Http11ConnectionSettings? settings = null)
    {
        var whole = RunOnce(input, settings, h => h.Feed(input));
        var perByte = RunOnce(input, settings, h =>
        {
            foreach (var b in input) h.Feed([b]);
        });
        AssertSame(perByte, whole, "feeding one byte at a time must not change the outcome");

        var perSegment = RunOnce(input, settings, h => h.FeedPerByteSegments(input));
        AssertSame(perSegment, whole, "one segment per byte must not change the outcome");

        for (var cut = 1; cut < input.Length; cut++)
        {
            var at = cut;
            var split = RunOnce(input, settings, h => h.Feed(input, at));
            AssertSame(split, whole, $"a segment boundary at byte {at} must not change the outcome");
        }
        return whole;
    }

    private static void AssertSame(Transcript actual, Transcript expected, string because)
    {
        // A plain comparison first: the structural assertion is only there to explain a difference.
        if (actual.Events.SequenceEqual(expected.Events) && actual with { Events = expected.Events } == expected) return;
        actual.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering(), because);
    }

    private static Transcript RunOnce(byte[] input, Http11ConnectionSettings? settings, Action<AnsweringHarness> feed)
    {
        var harness = new AnsweringHarness(settings);
        feed(harness);
        return Transcript.Of(harness.Inner);
    }

    /// <summary>A harness that answers after every feed, and re-feeds while answering unpauses the parser.</summary>
    private sealed class AnsweringHarness(Http11ConnectionSettings? settings)
    {
        public Http11Harness Inner { get; } = new(settings);

        public void Feed(byte[] bytes, params int[] cuts)
        {
            Inner.Feed(bytes, cuts);
            AnswerAll();
        }

        public void FeedPerByteSegments(byte[] bytes)
        {
            Inner.FeedPerByteSegments(bytes);
            AnswerAll();
        }

        private int _answered;

        private void AnswerAll()
        {
            while (_answered < Inner.Events.Count)
            {
                var e = Inner.Events[_answered++];
                switch (e)
                {
                    case RequestBodyEnded ended when !Inner.Connection.ShouldClose:
                        Inner.Respond(ended.StreamId);
                        Inner.Pump();
                        break;
                    case RequestRejected rejected:
                        Inner.RespondToRejection(rejected);
                        break;
                }
            }
        }
    }
}
