using Hyper.Conformance.Http2.Hpack;

namespace Hyper.Conformance.Tests.Http2.Hpack;

/// <summary>
/// The hpack-test-case corpus (tests/vectors/hpack-test-case.tar.gz): every encoder's stories decoded, every
/// raw-data story round-tripped. One theory case per story file so a failure names it. A missing corpus fails.
/// </summary>
public sealed class HpackTestCaseCorpusTests
{
    private const string CorpusMissing = "(corpus missing)";

    private static readonly Lazy<HpackTestCaseCorpus> Corpus = new(() => HpackTestCaseCorpus.Load(HpackTestCaseCorpus.LocateArchive()));

    public static TheoryData<string> EncodedStories() => StoryNames(rawData: false);

    public static TheoryData<string> RawStories() => StoryNames(rawData: true);

    private static TheoryData<string> StoryNames(bool rawData)
    {
        var data = new TheoryData<string>();
        try
        {
            foreach (var story in Corpus.Value.Stories.Values)
            {
                if (story.IsRawData == rawData) data.Add(story.Name);
            }
        }
        catch (FileNotFoundException)
        {
            // Keep discovery alive so the theory runs and fails with the loader's message.
            data.Add(CorpusMissing);
        }

        return data;
    }

    private static HpackStory Story(string name) =>
        name == CorpusMissing ? throw new FileNotFoundException(Describe()) : Corpus.Value.Stories[name];

    private static string Describe()
    {
        try
        {
            HpackTestCaseCorpus.LocateArchive();
            return "The HPACK corpus was found but could not be read.";
        }
        catch (FileNotFoundException e)
        {
            return e.Message;
        }
    }

    [Fact]
    public void Corpus_IsPresent_With478StoriesOf32RawLists()
    {
        var corpus = Corpus.Value;

        corpus.Stories.Should().HaveCount(478);
        corpus.Stories.Values.Count(s => s.IsRawData).Should().Be(32);
        corpus.Stories.Values.Where(s => !s.IsRawData).Should().OnlyContain(s => s.Cases.All(c => c.Wire != null));
    }

    [Theory]
    [Trait("rfc", "7541")]
    [MemberData(nameof(EncodedStories))]
    public void Decode_Story_YieldsEveryHeaderList(string story)
    {
        HpackConformanceRunner.DecodeStory(Story(story)).Should().BeEmpty();
    }

    [Theory]
    [Trait("rfc", "7541")]
    [MemberData(nameof(RawStories))]
    public void RoundTrip_RawStory_ThroughOurEncoderAndDecoder(string story)
    {
        HpackConformanceRunner.RoundTripStory(Story(story)).Should().BeEmpty();
    }
}
