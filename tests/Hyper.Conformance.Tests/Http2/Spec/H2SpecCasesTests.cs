using Hyper.Conformance.Http2.Spec;

namespace Hyper.Conformance.Tests.Http2.Spec;

/// <summary>The catalogue itself: every h2spec group is present, ids are unique, every case cites its RFC section.</summary>
public sealed class H2SpecCasesTests
{
    /// <summary>h2spec's groups and how many cases each has.</summary>
    public static TheoryData<string, int> Groups() => new()
    {
        { "generic/1", 1 }, { "generic/2", 5 }, { "generic/3.1", 3 }, { "generic/3.2", 3 }, { "generic/3.3", 5 }, { "generic/3.4", 1 },
        { "generic/3.5", 7 }, { "generic/3.7", 1 }, { "generic/3.8", 1 }, { "generic/3.9", 2 }, { "generic/3.10", 2 }, { "generic/4", 4 },
        { "generic/5", 15 },
        { "http2/3.5", 2 }, { "http2/4.1", 3 }, { "http2/4.2", 3 }, { "http2/4.3", 3 }, { "http2/5.1", 13 }, { "http2/5.1.1", 2 },
        { "http2/5.1.2", 1 }, { "http2/5.3.1", 2 }, { "http2/5.4.1", 2 }, { "http2/5.5", 2 }, { "http2/6.1", 3 }, { "http2/6.2", 4 },
        { "http2/6.3", 2 }, { "http2/6.4", 3 }, { "http2/6.5", 3 }, { "http2/6.5.2", 5 }, { "http2/6.5.3", 2 }, { "http2/6.7", 4 },
        { "http2/6.8", 1 }, { "http2/6.9", 3 }, { "http2/6.9.1", 3 }, { "http2/6.9.2", 3 }, { "http2/6.10", 6 }, { "http2/8.1", 1 },
        { "http2/8.1.2", 1 }, { "http2/8.1.2.1", 4 }, { "http2/8.1.2.2", 2 }, { "http2/8.1.2.3", 7 }, { "http2/8.1.2.6", 2 }, { "http2/8.2", 1 },
        { "hpack/2.3.3", 1 }, { "hpack/4.2", 1 }, { "hpack/5.2", 3 }, { "hpack/6.1", 1 }, { "hpack/6.3", 1 },
    };

    [Theory]
    [MemberData(nameof(Groups))]
    public void Group_InCatalogue_HasEveryH2SpecCase(string group, int count)
    {
        var ids = H2SpecCases.All.Where(c => c.Group == group).Select(c => c.Id).ToList();

        ids.Should().BeEquivalentTo(Enumerable.Range(1, count).Select(n => $"{group}/{n}"));
    }

    [Fact]
    public void All_Ids_AreUniqueAndInAGroup()
    {
        var groups = Groups().Select(row => (string)row[0]).ToHashSet();

        H2SpecCases.All.Select(c => c.Id).Should().OnlyHaveUniqueItems();
        H2SpecCases.All.Should().OnlyContain(c => groups.Contains(c.Group));
    }

    [Fact]
    public void All_Cases_CiteAnRfcSectionAndExpectSomething()
    {
        H2SpecCases.All.Should().OnlyContain(c => c.Section.StartsWith("RFC 9113 §") || c.Section.StartsWith("RFC 7541 §"));
        H2SpecCases.All.Should().OnlyContain(c => c.Steps.Count > 0 && c.Description.Length > 0);
    }
}
