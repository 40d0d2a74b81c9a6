using Hyper.Fuzz;
using SharpFuzz;

// Usage: Hyper.Fuzz <target>           run under afl-fuzz (fuzz/run.sh), input from AFL's shared memory
//        Hyper.Fuzz <target> <file>... run the files once each (reproduce a crash, replay a corpus)
//        Hyper.Fuzz --list             print the target names
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
    foreach (var file in args.Skip(1))
    {
        target.Run(File.ReadAllBytes(file));
        Console.WriteLine($"ok {file}");
    }
    return 0;
}

// Out of process: a crash (even a stack overflow) of one input is reported to AFL without losing the fork server.
Fuzzer.OutOfProcess.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target.Run(copy.GetBuffer().AsSpan(0, (int)copy.Length));
});
return 0;
