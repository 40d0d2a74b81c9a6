using Hyper.Core.Application;

namespace Hyper.EndToEnd.Tests.Http2.Attacks;

/// <summary>
/// An application that counts its own running handlers: <c>/slow</c> holds its handler for a while (as a real
/// backend call would), everything else answers at once. <see cref="Max"/> is the number an attack must not push
/// past h2_max_concurrent_streams (docs/security.md H2-11: concurrency is counted by running handlers).
/// </summary>
internal sealed class InFlightGauge(TimeSpan hold)
{
    private int _running;
    private int _max;
    private int _started;

    public int Max => Volatile.Read(ref _max);
    public int Started => Volatile.Read(ref _started);

    public async ValueTask App(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is not HttpScope http) return;
        if (http.Path != "/slow")
        {
            await Apps.RespondAsync(send, 200, "fine");
            return;
        }
        Interlocked.Increment(ref _started);
        var running = Interlocked.Increment(ref _running);
        int max;
        while (running > (max = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, running, max) != max)
        {
            // Another handler raised the maximum meanwhile: read it again.
        }
        try
        {
            await Task.Delay(hold);
            await Apps.RespondAsync(send, 200, "slow");
        }
        catch (ClientDisconnectedException)
        {
            // The attacker reset the stream: the handler still ran for its whole hold, which is the point.
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
