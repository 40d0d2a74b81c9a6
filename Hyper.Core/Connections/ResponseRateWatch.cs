using Hyper.Core.Concurrency;
using Hyper.Core.Transport;

namespace Hyper.Core.Connections;

/// <summary>
/// Runs one connection's <see cref="ResponseRateClock"/> on a one-second ticker while the server waits on the client
/// (docs/security.md SL-03, H2-07): from the first blocked flush, and while the connection closes with output still
/// to drain, until the client has acknowledged everything sent. The ticker stops when nothing waits, so an idle
/// connection costs no timer. A client behind the rate is reported once, through <c>tooSlow</c>, which aborts the
/// connection. Ticks come from the backend's timer, so a tick only reads counters (one getsockopt) and decides.
/// </summary>
internal sealed class ResponseRateWatch : IDisposable
{
    private readonly Lock _sync = new(); // the ticker, the flusher and the closing path meet here
    private readonly ITransportConnection _transport;
    private readonly TimeProvider _time;
    private readonly ResponseRateClock _clock;
    private readonly Action<object?> _tooSlow;
    private readonly object _state;
    private ITimer? _ticker;
    private bool _ticking;
    private bool _flushBlocked;
    private bool _closing;
    private bool _done;

    public ResponseRateWatch(ITransportConnection transport, TimeProvider time, double minRate, TimeSpan grace, Action<object?> tooSlow, object state)
    {
        _transport = transport;
        _time = time;
        _clock = new ResponseRateClock(time, minRate, grace);
        _tooSlow = tooSlow;
        _state = state;
    }

    /// <summary>A flush is waiting for the client to take bytes.</summary>
    public void FlushBlocked()
    {
        lock (_sync)
        {
            _flushBlocked = true;
            StartLocked();
        }
    }

    /// <summary>The blocked flush is over; the next tick sees whether the client still owes sent bytes.</summary>
    public void FlushEnded()
    {
        lock (_sync) _flushBlocked = false;
    }

    /// <summary>
    /// The connection is closing and the transport may still be sending what was written: that drain waits on the
    /// client like any flush, so the clock runs until the transport is disposed (or the client falls behind).
    /// </summary>
    public void Closing()
    {
        lock (_sync)
        {
            _closing = true;
            StartLocked();
        }
    }

    private void StartLocked()
    {
        if (_done) return;
        _clock.Resume(Taken(out _));
        if (_ticking) return;
        _ticking = true;
        if (_ticker is null)
        {
            _ticker = CallbackGuard.CreateTimer(_time, static w => ((ResponseRateWatch)w!).Tick(), this, ResponseRateClock.Period, ResponseRateClock.Period);
        }
        else
        {
            _ticker.Change(ResponseRateClock.Period, ResponseRateClock.Period);
        }
    }

    /// <summary>Bytes the client has taken: acknowledged where the transport can tell, else sent.</summary>
    private long Taken(out bool acknowledged)
    {
        var acked = _transport.BytesAcknowledged;
        acknowledged = acked >= 0;
        return acknowledged ? acked : _transport.BytesSent;
    }

    internal void Tick()
    {
        lock (_sync)
        {
            if (!_ticking || _done) return;
            var taken = Taken(out var acknowledged);
            ClientOwes owes;
            if (_flushBlocked) owes = ClientOwes.Output;
            // TCP: sent and not yet acknowledged (the FIN counts one acknowledged byte that was never "sent").
            else if (acknowledged) owes = _transport.BytesSent - taken > 0 ? ClientOwes.Output : ClientOwes.Nothing;
            // Without acknowledgements a closing transport may be blocked on the client; nothing tells us otherwise.
            else owes = _closing ? ClientOwes.Output : ClientOwes.Unknown;
            // Closing: a drain that blocks after the client had taken everything starts a new busy period.
            if (_closing && owes == ClientOwes.Output && !_clock.IsCounting) _clock.Resume(taken);
            if (_clock.Check(taken, owes))
            {
                _done = true;
                StopLocked();
            }
            else
            {
                // While closing the transport may block again at any moment (the rest of its pipe going out): keep
                // watching until it is disposed. Otherwise the next blocked flush starts the ticker again.
                if (!_clock.IsCounting && !_closing) StopLocked();
                return;
            }
        }
        _tooSlow(_state);
    }

    private void StopLocked()
    {
        _ticking = false;
        _ticker?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _done = true;
            _ticking = false;
            _ticker?.Dispose();
            _ticker = null;
        }
    }
}
