namespace Hyper.Core.Configuration;

/// <summary>A configuration value is wrong: the message names the key, the value and what is expected.</summary>
public sealed class OptionsValidationException(string key, string message) : Exception($"{key}: {message}")
{
    public string Key { get; } = key;
}
