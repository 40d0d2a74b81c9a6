using Hyper.Backends.SingleThreadLoop;
using Hyper.Backends.ThreadPool;
using Hyper.Core.Concurrency;

namespace Hyper.Backends.Tests;

/// <summary>The backends the contract tests run on (a theory over the backend name).</summary>
public static class BackendFactory
{
    public static TheoryData<string> All => new() { ThreadPoolBackend.BackendName, SingleThreadLoopBackend.BackendName };

    public static IServerBackend Create(string name, int loops = 1) => name switch
    {
        ThreadPoolBackend.BackendName => new ThreadPoolBackend(),
        SingleThreadLoopBackend.BackendName => new SingleThreadLoopBackend(new SingleThreadLoopOptions { Loops = loops }),
        _ => throw new ArgumentException($"unknown backend {name}", nameof(name)),
    };
}
