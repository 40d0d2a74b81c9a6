using System.Diagnostics;

namespace Hyper.Fuzz.Tests;

/// <summary>
/// The CI smoke of the fuzz targets (fuzz/README.md): every committed input, then a bounded number of seeded
/// mutations of them, through each target's own invariant checks. A target lets only its parser's typed protocol
/// exceptions pass, so any other exception, a broken invariant, or an input slower than the budget fails the test.
/// AFL++ runs explore far more (fuzz/run.sh); this keeps what they found, and the seeds, from regressing.
/// </summary>
public sealed class FuzzSmokeTests
{
    /// <summary>No input may take longer than this (docs/security.md FZ-01: no hang).</summary>
    private static readonly TimeSpan PerInputBudget = TimeSpan.FromMilliseconds(100);

    private const int MutationsPerTarget = 1500;

    public static TheoryData<string> Targets => Corpus.TargetNames();

    [Fact]
    public void EveryTarget_HasASeedCorpus()
    {
        foreach (var target in FuzzTargets.All)
            Corpus.Seeds(target.Name).Should().NotBeEmpty($"fuzz/corpus/{target.Name} seeds the fuzzer");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Seeds_AndFoundInputs_KeepTheInvariants(string name)
    {
        var target = FuzzTargets.Find(name)!;
        foreach (var (file, bytes) in Corpus.Seeds(name).Concat(Corpus.Regressions(name)))
            RunWithinBudget(target, bytes, file);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void SeededMutations_KeepTheInvariants(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var pool = Corpus.Seeds(name).Concat(Corpus.Regressions(name)).Select(s => s.Bytes).ToArray();
        // A fixed seed per target: the same inputs on every run, so a failure reproduces.
        var seed = name.Aggregate(17, (h, c) => unchecked(h * 31 + c));
        var mutator = new Mutator(seed);
        for (var i = 0; i < MutationsPerTarget; i++)
        {
            var input = mutator.Mutate(pool[i % pool.Length], pool);
            RunWithinBudget(target, input, $"mutation {i} of seed {seed} (hex {Convert.ToHexString(input)})");
        }
    }

    /// <summary>
    /// Runs one input and fails on what escapes or on time. A slow run is tried twice more and the fastest counts,
    /// so a pause of the shared machine is not taken for a hang while an input that is slow every time still fails.
    /// </summary>
    private static void RunWithinBudget(IFuzzTarget target, byte[] input, string what)
    {
        var fastest = TimeSpan.MaxValue;
        for (var attempt = 0; attempt < 3 && fastest > PerInputBudget; attempt++)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                target.Run(input);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{target.Name}: {what} let {e.GetType().Name} escape: {e}");
            }
            if (watch.Elapsed < fastest) fastest = watch.Elapsed;
        }
        fastest.Should().BeLessThanOrEqualTo(PerInputBudget, $"{target.Name}: {what} must not hang the parser");
    }
}
