namespace Hyper.Fuzz;

/// <summary>
/// One parser under fuzzing. <see cref="Run"/> feeds it one input and checks the invariants the parser promises:
/// it catches the parser's own typed protocol exceptions (a refused input is a correct answer) and lets anything
/// else escape, so AFL++ records it as a crash and the CI smoke fails. A broken invariant that is not an exception
/// (a buffer past its limit, a split input that is answered differently) throws <see cref="FuzzInvariantException"/>.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name used on the command line, for the corpus folder and in test names.</summary>
    string Name { get; }

    void Run(ReadOnlySpan<byte> input);
}
