using System.Collections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Hyper.AspNetCore;

// The feature collection: the stream itself answers for the features it implements (no per-request dictionary
// unless the application adds its own), as Kestrel's request object does.
internal sealed partial class AspNetCoreStream : IFeatureCollection
{
    // Every request.
    private static readonly Type[] CommonFeatures =
    [
        typeof(IHttpRequestFeature), typeof(IHttpResponseFeature), typeof(IHttpResponseBodyFeature),
        typeof(IRequestBodyPipeFeature), typeof(IHttpRequestBodyDetectionFeature), typeof(IHttpMaxRequestBodySizeFeature),
        typeof(IHttpConnectionFeature), typeof(IHttpRequestLifetimeFeature), typeof(IHttpRequestIdentifierFeature),
        typeof(IHttpRequestTrailersFeature), typeof(IHttpBodyControlFeature), typeof(IHttpUpgradeFeature),
        typeof(IHttpMinRequestBodyDataRateFeature),
    ];

    // HTTP/2 only (Kestrel offers these on HTTP/2 and HTTP/3): trailers out, reset, the stream id, extended CONNECT.
    private static readonly Type[] MultiplexedFeatures =
        [typeof(IHttpResponseTrailersFeature), typeof(IHttpResetFeature), typeof(IHttp2StreamIdFeature), typeof(IHttpExtendedConnectFeature)];

    private static readonly Type[] TlsFeatures = [typeof(ITlsConnectionFeature), typeof(ITlsHandshakeFeature)];

    // Features the application (or middleware) set or removed; a null value hides a built-in one.
    private Dictionary<Type, object?>? _overrides;
    private int _revision;

    bool IFeatureCollection.IsReadOnly => false;
    int IFeatureCollection.Revision => _revision;

    object? IFeatureCollection.this[Type key]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(key);
            if (_overrides is not null && _overrides.TryGetValue(key, out var set)) return set;
            return Offers(key) ? this : null;
        }
        set
        {
            ArgumentNullException.ThrowIfNull(key);
            (_overrides ??= new Dictionary<Type, object?>())[key] = value;
            _revision++;
        }
    }

    TFeature? IFeatureCollection.Get<TFeature>() where TFeature : default => (TFeature?)((IFeatureCollection)this)[typeof(TFeature)];

    void IFeatureCollection.Set<TFeature>(TFeature? instance) where TFeature : default => ((IFeatureCollection)this)[typeof(TFeature)] = instance;

    private bool Offers(Type key) =>
        Array.IndexOf(CommonFeatures, key) >= 0
        || _connection.IsMultiplexed && Array.IndexOf(MultiplexedFeatures, key) >= 0
        || _connection.Info.IsTls && Array.IndexOf(TlsFeatures, key) >= 0;

    IEnumerator<KeyValuePair<Type, object>> IEnumerable<KeyValuePair<Type, object>>.GetEnumerator()
    {
        if (_overrides is not null)
        {
            foreach (var (type, feature) in _overrides)
            {
                if (feature is not null) yield return new(type, feature);
            }
        }
        foreach (var type in CommonFeatures.Concat(MultiplexedFeatures).Concat(TlsFeatures))
        {
            if (Offers(type) && _overrides?.ContainsKey(type) != true) yield return new(type, this);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<Type, object>>)this).GetEnumerator();
}
