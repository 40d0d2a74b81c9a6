using System.Runtime.InteropServices;
using System.Xml.Linq;
using Hyper.Core.Concurrency;
using Hyper.Tests.Shared;

namespace Hyper.Core.Tests.Concurrency;

/// <summary>
/// Issue #9, the class of bug: no product assembly hands the runtime a callback that can throw into it. Every
/// product project of the repository (each Hyper.*/ folder with a project file, found on disk so a new assembly is
/// covered the day it is added) is scanned by <see cref="CallbackSiteScanner"/>.
/// </summary>
public sealed class CallbackGuardUsageTests
{
    public static TheoryData<string> ProductAssemblies()
    {
        var data = new TheoryData<string>();
        foreach (var project in Directory.GetFiles(RepositoryRoot, "Hyper.*.csproj", SearchOption.AllDirectories)
                     .Where(p => Path.GetFileName(Path.GetDirectoryName(p)!) == Path.GetFileNameWithoutExtension(p))
                     .Where(p => Path.GetDirectoryName(Path.GetDirectoryName(p)) == RepositoryRoot)
                     .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(project));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ProductAssemblies))]
    public void ProductAssembly_EveryRuntimeCallbackGoesThroughCallbackGuard(string project)
    {
        var assembly = BuiltAssembly(project);
        File.Exists(assembly).Should().BeTrue("{0} is referenced by this test project, so it is built before the test runs", assembly);

        CallbackSiteScanner.FindViolations(assembly).Should().BeEmpty();
    }

    [Fact]
    public void Scanner_FindsEveryKindOfUnguardedCallback()
    {
        // The scanner must be able to fail: these deliberate violations, compiled into this test assembly, are found.
        var violations = CallbackSiteScanner.FindViolations(typeof(Violations).Assembly.Location)
            .Where(v => v.Contains(nameof(Violations), StringComparison.Ordinal)).ToList();

        violations.Should().Contain(v => v.Contains("System.TimeProvider::CreateTimer", StringComparison.Ordinal));
        violations.Should().Contain(v => v.Contains("System.Threading.CancellationToken::Register", StringComparison.Ordinal));
        violations.Should().Contain(v => v.Contains("System.Threading.Tasks.Task::ContinueWith", StringComparison.Ordinal));
        violations.Should().Contain(v => v.Contains("PosixSignalRegistration::Create", StringComparison.Ordinal));
        violations.Should().Contain(v => v.Contains("dropped", StringComparison.Ordinal) && v.Contains(nameof(Violations.Forgets), StringComparison.Ordinal));
        violations.Should().Contain(v => v.Contains("async void", StringComparison.Ordinal));
        violations.Should().Contain(v => v.Contains("add_UnobservedTaskException", StringComparison.Ordinal));
        violations.Where(v => v.Contains(nameof(Violations.Guarded), StringComparison.Ordinal)).Should().BeEmpty("the guarded forms are allowed");
    }

    private static string BuiltAssembly(string project)
    {
        var projectFile = Path.Combine(RepositoryRoot, project, project + ".csproj");
        var assemblyName = XDocument.Load(projectFile).Descendants("AssemblyName").FirstOrDefault()?.Value ?? project;
        return Path.Combine(RepositoryRoot, project, "bin", Configuration, "net10.0", assemblyName + ".dll");
    }

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Hyper.sln"))) return directory.FullName;
            }
            throw new InvalidOperationException($"no Hyper.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>Never called: each member is one shape the scanner must report (or, for Guarded, must not).</summary>
    private static class Violations
    {
        public static ITimer Timer(TimeProvider time) => time.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.Zero);

        public static CancellationTokenRegistration Register(CancellationToken token) => token.Register(() => { });

        public static Task Continue(Task task) => task.ContinueWith(_ => { }, TaskScheduler.Default);

        public static PosixSignalRegistration Signal() => PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => { });

        public static void Forgets() => _ = Task.Delay(1);

        public static async void AsyncVoid() => await Task.Yield();

        public static void Subscribes() => TaskScheduler.UnobservedTaskException += (_, _) => { };

        public static void Guarded(TimeProvider time, CancellationToken token)
        {
            using var timer = CallbackGuard.CreateTimer(time, _ => { }, null, TimeSpan.Zero, TimeSpan.Zero);
            using var registration = CallbackGuard.Register(token, _ => { }, null);
            CallbackGuard.Forget(Task.Delay(1), "test");
            TaskScheduler.UnobservedTaskException += CallbackGuard.Handler<UnobservedTaskExceptionEventArgs>((_, _) => { }, "test");
        }
    }
}
