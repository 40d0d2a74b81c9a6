using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Hyper.Core.Concurrency;

namespace Hyper.Core.Streams;

/// <summary>
/// The <c>extensions</c> of an HTTP scope: the server's own entries are fixed and the request's task group is
/// only created when an application asks for it; anything an application adds goes to an overflow map made
/// on first write. This keeps a plain request free of dictionary allocations. On a TLS connection the ASGI
/// <c>tls</c> extension is one of the server's entries, built on first read.
/// </summary>
internal sealed class HttpScopeExtensions(HttpStream stream) : IDictionary<string, object?>
{
    private const string Trailers = "http.response.trailers";
    private const string EarlyHint = "http.response.early_hint";
    private const string Push = "http.response.push";
    private static readonly string[] ServerKeys = [Trailers, EarlyHint, RequestTaskGroup.ExtensionKey];
    private static readonly string[] TlsServerKeys = [.. ServerKeys, TlsScopeExtension.Key];
    private static readonly string[] PushServerKeys = [.. ServerKeys, Push];
    private static readonly string[] TlsPushServerKeys = [.. TlsServerKeys, Push];
    private Dictionary<string, object?>? _added;
    private TlsScopeExtension? _tls;

    // ASGI: an extension is listed only where the server supports it on this connection; push needs an HTTP/2 client
    // that allows it.
    private string[] OwnKeys => (stream.Connection.Tls is null, stream.PushAllowed) switch
    {
        (true, false) => ServerKeys,
        (true, true) => PushServerKeys,
        (false, false) => TlsServerKeys,
        (false, true) => TlsPushServerKeys,
    };

    public object? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);
        set
        {
            if (IsServerKey(key)) throw new NotSupportedException($"'{key}' is provided by the server.");
            (_added ??= new())[key] = value;
        }
    }

    public ICollection<string> Keys => [.. OwnKeys, .. _added?.Keys ?? Enumerable.Empty<string>()];
    public ICollection<object?> Values => this.Select(p => p.Value).ToArray();
    public int Count => OwnKeys.Length + (_added?.Count ?? 0);
    public bool IsReadOnly => false;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        switch (key)
        {
            case Trailers or EarlyHint:
                value = null;
                return true;
            case Push when stream.PushAllowed:
                value = null;
                return true;
            case RequestTaskGroup.ExtensionKey:
                value = stream.TaskGroup;
                return true;
            case TlsScopeExtension.Key when stream.Connection.Tls is { } tls:
                value = _tls ??= new TlsScopeExtension(tls);
                return true;
            default:
                if (_added is not null) return _added.TryGetValue(key, out value);
                value = null;
                return false;
        }
    }

    public bool ContainsKey(string key) => IsServerKey(key) || _added?.ContainsKey(key) == true;
    public void Add(string key, object? value) => this[key] = value;
    public void Add(KeyValuePair<string, object?> item) => this[item.Key] = item.Value;
    public bool Remove(string key) => !IsServerKey(key) && _added?.Remove(key) == true;
    public bool Remove(KeyValuePair<string, object?> item) => Contains(item) && Remove(item.Key);
    public void Clear() => _added?.Clear();
    public bool Contains(KeyValuePair<string, object?> item) => TryGetValue(item.Key, out var v) && Equals(v, item.Value);

    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex)
    {
        foreach (var pair in this) array[arrayIndex++] = pair;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        foreach (var key in OwnKeys)
        {
            TryGetValue(key, out var value);
            yield return new(key, value);
        }
        if (_added is null) yield break;
        foreach (var pair in _added) yield return pair;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private bool IsServerKey(string key) => Array.IndexOf(OwnKeys, key) >= 0;
}
