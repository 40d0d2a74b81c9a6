using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace Hyper.Conformance.Http2.Hpack;

/// <summary>
/// The hpack-test-case corpus of the HTTP/2 Japan Community (github.com/http2jp/hpack-test-case, MIT), read straight
/// from its <c>.tar.gz</c> into memory, never unpacked into the tree. The archive is kept in the repository, in
/// <c>tests/vectors/</c> (with its licence).
/// </summary>
public sealed class HpackTestCaseCorpus
{
    /// <summary>The archive's file name in <c>tests/vectors/</c>.</summary>
    public const string ArchiveName = "hpack-test-case.tar.gz";

    private HpackTestCaseCorpus(IReadOnlyDictionary<string, HpackStory> stories)
    {
        Stories = stories;
    }

    /// <summary>Every story, keyed by its path inside the corpus (<c>implementation/story_NN.json</c>).</summary>
    public IReadOnlyDictionary<string, HpackStory> Stories { get; }

    /// <summary>
    /// Finds the archive from <paramref name="startDirectory"/> (default: the running assembly's folder) by walking up
    /// to the folder holding <c>Hyper.sln</c>, then <c>tests/vectors/</c> below it. Throws with the path tried when it is missing.
    /// </summary>
    public static string LocateArchive(string? startDirectory = null)
    {
        var start = startDirectory ?? AppContext.BaseDirectory;
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (!File.Exists(Path.Combine(directory.FullName, "Hyper.sln"))) continue;

            var archive = Path.Combine(directory.FullName, "tests", "vectors", ArchiveName);
            if (File.Exists(archive)) return archive;

            throw new FileNotFoundException(
                $"The HPACK corpus is missing: expected {archive} (tests/vectors/ in the repository root {directory.FullName}).",
                archive);
        }

        throw new FileNotFoundException($"No Hyper.sln above {start}, so the HPACK corpus tests/vectors/{ArchiveName} cannot be found.");
    }

    /// <summary>Reads every <c>*.json</c> story in the archive.</summary>
    public static HpackTestCaseCorpus Load(string archivePath)
    {
        var stories = new SortedDictionary<string, HpackStory>(StringComparer.Ordinal);
        using var file = File.OpenRead(archivePath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                || !name.EndsWith(".json", StringComparison.Ordinal) || entry.DataStream is null)
            {
                continue;
            }

            // Some archives wrap the corpus in a top folder; keep the last two path segments, implementation/story.
            var segments = name.Split('/');
            if (segments.Length < 2) continue;
            var key = $"{segments[^2]}/{segments[^1]}";
            using var json = JsonDocument.Parse(entry.DataStream);
            stories[key] = new HpackStory(key, ParseCases(json.RootElement));
        }

        return new HpackTestCaseCorpus(stories);
    }

    private static List<HpackStoryCase> ParseCases(JsonElement story)
    {
        var cases = new List<HpackStoryCase>();
        var sequence = 0;
        foreach (var item in story.GetProperty("cases").EnumerateArray())
        {
            int? tableSize = item.TryGetProperty("header_table_size", out var size) && size.ValueKind == JsonValueKind.Number
                ? size.GetInt32()
                : null;
            byte[]? wire = item.TryGetProperty("wire", out var hex) && hex.ValueKind == JsonValueKind.String
                ? Convert.FromHexString(hex.GetString()!)
                : null;
            var seqno = item.TryGetProperty("seqno", out var number) ? number.GetInt32() : sequence;

            var headers = new List<HeaderPair>();
            foreach (var field in item.GetProperty("headers").EnumerateArray())
            {
                // Each header is a one-member object, so that the list keeps its order and its duplicates.
                foreach (var member in field.EnumerateObject())
                {
                    headers.Add(new HeaderPair(member.Name, member.Value.GetString() ?? ""));
                }
            }

            cases.Add(new HpackStoryCase(seqno, tableSize, wire, headers));
            sequence++;
        }

        return cases;
    }
}
