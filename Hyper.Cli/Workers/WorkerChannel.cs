using System.Globalization;
using System.IO.Pipes;
using System.Text;

namespace Hyper.Cli.Workers;

/// <summary>
/// A worker's end of its heartbeat pipe: it writes <see cref="WorkerMessage"/> lines to the supervisor. A write that
/// fails means the supervisor is gone, and a worker without a supervisor stops (nobody would replace or stop it).
/// </summary>
internal sealed class WorkerChannel : IDisposable
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly AnonymousPipeClientStream _pipe;
    private readonly Lock _lock = new();
    private bool _broken;

    private WorkerChannel(AnonymousPipeClientStream pipe) => _pipe = pipe;

    /// <summary>Opens the inherited write end <paramref name="fd"/> (and keeps it from processes the application starts).</summary>
    public static WorkerChannel Open(int fd)
    {
        PosixInterop.SetInheritable(fd, inheritable: false);
        return new WorkerChannel(new AnonymousPipeClientStream(PipeDirection.Out, fd.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Writes one line; false once the supervisor has gone.</summary>
    public bool TrySend(string message)
    {
        var bytes = Encoding.ASCII.GetBytes(message + "\n");
        lock (_lock)
        {
            if (_broken) return false;
            try
            {
                _pipe.Write(bytes);
                _pipe.Flush();
                return true;
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                _broken = true;
                return false;
            }
        }
    }

    /// <summary>
    /// Beats every <paramref name="interval"/> until <paramref name="stop"/>; says <see cref="WorkerMessage.Retiring"/>
    /// once <paramref name="shouldRetire"/> turns true; calls <paramref name="supervisorGone"/> when a write fails.
    /// </summary>
    public async Task RunAsync(TimeSpan interval, Func<bool> shouldRetire, Action supervisorGone, TimeProvider time, CancellationToken stop)
    {
        var lastBeat = long.MinValue;
        var retiring = false;
        using var timer = new PeriodicTimer(CheckInterval, time);
        do
        {
            var now = time.GetTimestamp();
            var sent = true;
            if (lastBeat == long.MinValue || time.GetElapsedTime(lastBeat, now) >= interval)
            {
                sent = TrySend(WorkerMessage.Beat);
                lastBeat = now;
            }
            if (sent && !retiring && shouldRetire())
            {
                retiring = true;
                sent = TrySend(WorkerMessage.Retiring);
            }
            if (!sent)
            {
                supervisorGone();
                return;
            }
        }
        while (await WaitAsync(timer, stop));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _pipe.Dispose();
}
