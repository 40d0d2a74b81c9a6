namespace Hyper.Core.Streams;

/// <summary>
/// Counts the open WebSocket sessions of one server (one worker process) against <c>websocket_max_connections</c>.
/// A WebSocket outlives its request and holds memory for as long as the peer likes, so an upgrade flood is bounded
/// here, before the handshake is accepted, rather than only by <c>max_connections</c> (which HTTP/2 multiplexes past).
/// </summary>
internal sealed class WebSocketAdmission(int? limit)
{
    private int _open;

    /// <summary>Sessions admitted and not yet left.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Takes a place if one is free; the caller must <see cref="Leave"/> once when the session ends.</summary>
    public bool TryEnter()
    {
        if (limit is not { } max)
        {
            Interlocked.Increment(ref _open);
            return true;
        }
        while (true)
        {
            var open = Volatile.Read(ref _open);
            if (open >= max) return false;
            if (Interlocked.CompareExchange(ref _open, open + 1, open) == open) return true;
        }
    }

    public void Leave() => Interlocked.Decrement(ref _open);
}
