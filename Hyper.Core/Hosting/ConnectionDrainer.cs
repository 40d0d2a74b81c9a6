using System.Collections.Concurrent;
using Hyper.Core.Connections;
using Hyper.Core.Concurrency;

namespace Hyper.Core.Hosting;

/// <summary>
/// Tracks open connections so that shutdown can be graceful: ask each to finish (idle ones close at once,
/// busy ones after their current response), wait up to the graceful timeout, then abort what is left.
/// </summary>
internal sealed class ConnectionDrainer
{
    private readonly ConcurrentDictionary<ConnectionDriver, byte> _open = new();
    private readonly TaskCompletionSource _empty = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _draining;

    public int Count => _open.Count;

    public void Add(ConnectionDriver connection)
    {
        _open.TryAdd(connection, 0);
        if (_draining) CallbackGuard.Forget(connection.BeginShutdownAsync(), "connection shutdown");
    }

    public void Remove(ConnectionDriver connection)
    {
        _open.TryRemove(connection, out _);
        if (_draining && _open.IsEmpty) _empty.TrySetResult();
    }

    /// <summary>
    /// Returns true when every connection closed within <paramref name="timeout"/>; when it runs out, or
    /// <paramref name="cutShort"/> fires first (the host wants the stop over now), aborts the rest and returns false.
    /// </summary>
    public async Task<bool> DrainAsync(TimeSpan timeout, TimeProvider time, CancellationToken cutShort = default)
    {
        _draining = true;
        foreach (var connection in _open.Keys) await connection.BeginShutdownAsync();
        if (_open.IsEmpty) return true;
        try
        {
            await _empty.Task.WaitAsync(timeout, time, cutShort);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            foreach (var connection in _open.Keys) connection.Abort();
            return false;
        }
    }
}
