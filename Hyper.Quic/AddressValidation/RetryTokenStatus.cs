namespace Hyper.Quic.AddressValidation;

/// <summary>What <see cref="RetryTokenProtector.Validate"/> found in a token.</summary>
public enum RetryTokenStatus
{
    Valid,

    /// <summary>Not a token this server sealed, sealed for another address, or tampered with (RFC 9000 §8.1.3).</summary>
    Invalid,

    /// <summary>Authentic, but past its lifetime (RFC 9000 §8.1.3: Retry tokens are short-lived).</summary>
    Expired,
}
