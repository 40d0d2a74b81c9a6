namespace Hyper.Fuzz.Tests;

/// <summary>The committed inputs of a target: its seed corpus (fuzz/corpus) and what fuzzing found (fuzz/regressions).</summary>
internal static class Corpus
{
    public static IReadOnlyList<(string Name, byte[] Bytes)> Seeds(string target) => Read("corpus", target);

    public static IReadOnlyList<(string Name, byte[] Bytes)> Regressions(string target) => Read("regressions", target);

    private static IReadOnlyList<(string, byte[])> Read(string kind, string target)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, kind, target);
        if (!Directory.Exists(folder)) return [];
        return Directory.GetFiles(folder).Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))).ToArray();
    }

    public static TheoryData<string> TargetNames()
    {
        var data = new TheoryData<string>();
        foreach (var t in FuzzTargets.All) data.Add(t.Name);
        return data;
    }
}
