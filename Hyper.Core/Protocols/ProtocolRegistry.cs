namespace Hyper.Core.Protocols;

/// <summary>
/// The protocols a server speaks, keyed by what selects them: ALPN id, cleartext preface, Upgrade token. Filled
/// from each protocol module's <see cref="ProtocolRegistration"/>; the connection pipeline asks it which protocol
/// serves a connection and the connection driver asks it whether an <c>Upgrade</c> can be honoured. Immutable once
/// built, so every connection reads it without a lock.
/// </summary>
public sealed class ProtocolRegistry
{
    private readonly Dictionary<string, ProtocolRegistration> _byAlpn = new(StringComparer.Ordinal);

    /// <exception cref="ArgumentException">No default protocol, two defaults, or a key registered twice.</exception>
    public ProtocolRegistry(IEnumerable<ProtocolRegistration> registrations)
    {
        Registrations = registrations.ToArray();
        var defaults = Registrations.Where(r => r.IsDefault).ToArray();
        if (defaults.Length != 1)
            throw new ArgumentException($"Exactly one protocol must be the default; {defaults.Length} are.", nameof(registrations));
        Default = defaults[0].Factory;
        foreach (var registration in Registrations)
        {
            if (registration.AlpnId is { } alpn && !_byAlpn.TryAdd(alpn, registration))
                throw new ArgumentException($"ALPN id '{alpn}' is registered twice.", nameof(registrations));
            if (registration.UpgradeToken is { } token && registration.Factory is not IUpgradeTargetFactory)
                throw new ArgumentException($"Upgrade token '{token}' needs a factory that implements {nameof(IUpgradeTargetFactory)}.", nameof(registrations));
        }
        // RFC 9110 §7.8: tokens compare case-insensitively.
        var tokens = Registrations.Where(r => r.UpgradeToken is not null).Select(r => r.UpgradeToken!);
        if (tokens.GroupBy(t => t, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"Upgrade token '{twice.Key}' is registered twice.", nameof(registrations));
        // OrderBy is stable: equal preferences keep registration order.
        AlpnIds = Registrations.Where(r => r.AlpnId is not null).OrderBy(r => r.AlpnPreference).Select(r => r.AlpnId!).ToArray();
        CleartextPrefaces = Registrations.Where(r => r.CleartextPreface is not null).ToArray();
        Upgrades = Registrations.Where(r => r.UpgradeToken is not null).ToArray();
    }

    /// <summary>Every registration, in the order given.</summary>
    public IReadOnlyList<ProtocolRegistration> Registrations { get; }

    /// <summary>The protocol of a connection that nothing else selected.</summary>
    public IStreamProtocolFactory Default { get; }

    /// <summary>The ALPN ids to offer in a TLS handshake, in the server's preference order.</summary>
    public IReadOnlyList<string> AlpnIds { get; }

    /// <summary>The registrations with a cleartext preface; a shared cleartext port is sniffed only when there are some.</summary>
    public IReadOnlyList<ProtocolRegistration> CleartextPrefaces { get; }

    /// <summary>The protocol for a negotiated ALPN id; the default one when the client negotiated none or an unknown one.</summary>
    public IStreamProtocolFactory ForAlpn(string? alpnId) =>
        alpnId is not null && _byAlpn.TryGetValue(alpnId, out var registration) ? registration.Factory : Default;

    /// <summary>
    /// The registrations with an <c>Upgrade</c> token, in registration order; each one's factory is an
    /// <see cref="IUpgradeTargetFactory"/>.
    /// </summary>
    public IReadOnlyList<ProtocolRegistration> Upgrades { get; }
}
