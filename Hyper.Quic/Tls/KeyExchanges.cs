namespace Hyper.Quic.Tls;

/// <summary>Creates a fresh key pair for a supported group.</summary>
public static class KeyExchanges
{
    public static IKeyExchange Create(NamedGroup group) => group switch
    {
        NamedGroup.X25519 => new X25519KeyExchange(),
        NamedGroup.Secp256r1 => new P256KeyExchange(),
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, "Unsupported group."),
    };

    public static bool IsSupported(NamedGroup group) => group is NamedGroup.X25519 or NamedGroup.Secp256r1;
}
