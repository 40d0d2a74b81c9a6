using System.Diagnostics;
using Hyper.Fuzz;
using SharpFuzz;

// Usage: Hyper.Fuzz <target>                 run under afl-fuzz (fuzz/run.sh); input from AFL
//        Hyper.Fuzz <target> <file|dir>...   run each file once, print its time, fail on the first error
//        Hyper.Fuzz --list                   print the target names
// HYPER_FUZZ_WARMUP=<dir> runs the files of dir through the target with AFL's first input, so that the JIT has
// compiled the parser's paths before AFL times the next ones (a cold run could otherwise look like a hang).
if (args.Length == 0 || args[0] == "--list")
{
    foreach (var t in FuzzTargets.All) Console.WriteLine(t.Name);
    return args.Length == 0 ? 2 : 0;
}

var target = FuzzTargets.Find(args[0]);
if (target is null)
{
    Console.Error.WriteLine($"unknown target '{args[0]}'; --list prints them");
    return 2;
}

if (args.Length > 1)
{
    var files = args.Skip(1).SelectMany<string, string>(a => Directory.Exists(a) ? Directory.GetFiles(a).Order(StringComparer.Ordinal) : [a]).ToArray();
    // A first pass compiles; then each input's time is the fastest of three runs, so a pause of a busy machine is
    // not taken for a slow input (the slowest input is printed last).
    foreach (var file in files) target.Run(File.ReadAllBytes(file));
    var slowest = (File: "", Time: TimeSpan.Zero);
    foreach (var file in files)
    {
        var input = File.ReadAllBytes(file);
        var fastest = TimeSpan.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            target.Run(input);
            if (watch.Elapsed < fastest) fastest = watch.Elapsed;
        }
        if (fastest > slowest.Time) slowest = (file, fastest);
    }
    Console.WriteLine($"{files.Length} inputs ok; slowest {slowest.Time.TotalMilliseconds:F1} ms: {slowest.File}");
    return 0;
}

// Instrumented code may only run once SharpFuzz has mapped AFL's coverage memory, so the warm-up happens inside the
// loop, on its first input. That input's coverage includes the warm-up's; AFL sees it as one unstable seed.
var warmup = Environment.GetEnvironmentVariable("HYPER_FUZZ_WARMUP");

// Out of process: a crash of one input (even a stack overflow) is reported to AFL without losing the fork server.
Fuzzer.OutOfProcess.Run(stream =>
{
    if (warmup is { Length: > 0 } && Directory.Exists(warmup))
    {
        foreach (var file in Directory.GetFiles(warmup))
        {
            try { target.Run(File.ReadAllBytes(file)); }
            catch (Exception) { /* a failing seed is AFL's to report, on its own run */ }
        }
        warmup = null;
    }
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target.Run(copy.GetBuffer().AsSpan(0, (int)copy.Length));
});
return 0;
