using Hyper.Conformance.Http2.Hpack;

namespace Hyper.Conformance.Tests.Http2.Hpack;

public sealed class HpackTestCaseCorpusLocationTests
{
    [Fact]
    public void LocateArchive_RootWithoutVectors_ThrowsNamingTheExpectedPath()
    {
        var root = Directory.CreateTempSubdirectory("hyper-hpack-");
        try
        {
            var repo = Directory.CreateDirectory(Path.Combine(root.FullName, "repo"));
            File.WriteAllText(Path.Combine(repo.FullName, "Hyper.sln"), "");
            var start = Directory.CreateDirectory(Path.Combine(repo.FullName, "bin", "Debug")).FullName;

            var act = () => HpackTestCaseCorpus.LocateArchive(start);

            act.Should().Throw<FileNotFoundException>()
                .Which.FileName.Should().Be(Path.Combine(repo.FullName, "tests", "vectors", HpackTestCaseCorpus.ArchiveName));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void LocateArchive_FromTheTestBinaries_FindsTheCorpusInTheRepository()
    {
        File.Exists(HpackTestCaseCorpus.LocateArchive()).Should().BeTrue();
    }
}
