using System.Diagnostics;

namespace Hyper.Core.Tests.WebSockets.ForbiddenSample;

/// <summary>Uses what sans-IO code may not, so the namespace scan can be shown to find it (never called).</summary>
internal sealed class Sample
{
    private readonly Stopwatch _watch = new();
    private readonly object _gate = new();

    public DateTime Now() => DateTime.UtcNow;

    public void Locked()
    {
        lock (_gate) _watch.Restart();
    }

    public void Spawn(int value) => Task.Run(() => value + 1);

    public async Task WaitAsync() => await Task.Yield();
}
