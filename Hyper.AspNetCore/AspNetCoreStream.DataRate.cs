using Hyper.Core.Concurrency;
using Hyper.Core.Streams;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Hyper.AspNetCore;

// IHttpMinRequestBodyDataRateFeature: the request's own minimum body rate. Hyper enforces the rate in the protocol
// (min_request_body_rate after min_request_body_rate_grace, HTTP/1.1 and HTTP/2), so a change goes there as a stream
// command and the protocol's rule, clock and answer (408, or a reset once the response started) stay the same.
internal sealed partial class AspNetCoreStream : IHttpMinRequestBodyDataRateFeature
{
    // Kestrel's MinDataRate refuses a grace period of one second or less (its heartbeat's resolution).
    private static readonly TimeSpan ShortestGrace = TimeSpan.FromSeconds(1) + TimeSpan.FromTicks(1);

    private MinDataRate? _minDataRate;
    private bool _minDataRateSet;

    MinDataRate? IHttpMinRequestBodyDataRateFeature.MinDataRate
    {
        get => _minDataRateSet ? _minDataRate : DefaultMinDataRate();
        set
        {
            // A tunnel's input is another protocol's, with no body rate (as Kestrel has none for upgraded requests).
            if (IsTunnel) throw new InvalidOperationException("The minimum request body data rate cannot be set on an upgraded or extended CONNECT request.");
            _minDataRate = value;
            _minDataRateSet = true;
            var command = StreamCommand.MinRequestBodyRate(value?.BytesPerSecond ?? 0, value?.GracePeriod ?? TimeSpan.Zero);
            // The setter is synchronous; the command is applied in order with the stream's other commands, at once
            // unless another holds the connection for a moment.
            CallbackGuard.Forget(SubmitAsync(command).AsTask(), "minimum request body rate");
        }
    }

    /// <summary>The server's rule as a MinDataRate (null when it is off, and for tunnels, which it does not cover).</summary>
    private MinDataRate? DefaultMinDataRate()
    {
        var options = _connection.Server.Options;
        if (IsTunnel || options.MinRequestBodyRate <= 0) return null;
        return new MinDataRate(options.MinRequestBodyRate, options.MinRequestBodyRateGrace < ShortestGrace ? ShortestGrace : options.MinRequestBodyRateGrace);
    }
}
