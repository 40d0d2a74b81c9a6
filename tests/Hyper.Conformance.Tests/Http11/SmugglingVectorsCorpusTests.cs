using System.Text;
using Hyper.Conformance.Http11;

namespace Hyper.Conformance.Tests.Http11;

/// <summary>Properties of the corpus itself: coverage of docs/security.md's rows, unique names, cited sources.</summary>
public sealed class SmugglingVectorsCorpusTests
{
    [Fact]
    public void All_Count_AtLeastSixty() => SmugglingVectors.All.Should().HaveCountGreaterThanOrEqualTo(60);

    [Fact]
    public void All_Names_AreUnique() => SmugglingVectors.All.Select(v => v.Name).Should().OnlyHaveUniqueItems();

    [Fact]
    public void All_Sources_CiteARule() =>
        SmugglingVectors.All.Should().OnlyContain(v => v.Source.Contains("RFC") || v.Source.Contains("security.md") || v.Source.Contains("CVE") || v.Source.Contains("Garden"));

    [Theory]
    [InlineData("H1-01")]
    [InlineData("H1-02")]
    [InlineData("H1-03")]
    [InlineData("H1-04")]
    [InlineData("H1-05")]
    [InlineData("H1-06")]
    [InlineData("H1-07")]
    [InlineData("H1-08")]
    [InlineData("H1-09")]
    [InlineData("H1-10")]
    [InlineData("H1-11")]
    [InlineData("H1-12")]
    [InlineData("H1-13")]
    [InlineData("H1-14")]
    [InlineData("H1-15")]
    [InlineData("H1-16")]
    public void All_SecurityRow_IsCovered(string row) =>
        SmugglingVectors.All.Should().Contain(v => v.Source.Contains(row));

    [Fact]
    public void All_Garden_PayloadsAreCited() =>
        SmugglingVectors.All.Count(v => v.Source.Contains("HTTP Garden")).Should().BeGreaterThanOrEqualTo(5, "H1-17 asks for the Garden regression pack");

    [Fact]
    public void All_BothVerdicts_ArePresent()
    {
        SmugglingVectors.All.Should().Contain(v => v.Expected.RejectedWith == null, "valid edge cases must be accepted too");
        SmugglingVectors.All.Should().Contain(v => v.Expected.RejectedWith != null);
    }

    [Fact]
    public void Of_Latin1Escapes_KeepEveryByte()
    {
        var vector = Http11Vector.Of("n", "RFC 9110 §5.5", "A\xa0\x85\0", Http11Verdict.Rejected(400));

        vector.Request.Should().Equal((byte)'A', 0xA0, 0x85, 0x00);
    }

    [Fact]
    public void Named_TE_CL_ReturnsThatVector()
    {
        var vector = SmugglingVectors.Named("TE.CL both present");

        Encoding.Latin1.GetString(vector.Request).Should().Contain("Transfer-Encoding: chunked\r\nContent-Length: 3");
        vector.Expected.RejectedWith.Should().Be(400);
    }
}
