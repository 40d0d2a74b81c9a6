namespace Hyper.Core.Configuration;

/// <summary>
/// Names an option's configuration key (Hypercorn's snake_case name) and its CLI flag, if it has one.
/// The binder, the CLI and the documentation all read these, so a key is spelt in one place.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionKeyAttribute(string key) : Attribute
{
    public string Key { get; } = key;

    /// <summary>The long CLI flag without dashes, e.g. <c>keep-alive</c>; null when the option is file/env only.</summary>
    public string? Flag { get; init; }

    /// <summary>One line for --help and the README table.</summary>
    public string Help { get; init; } = "";
}
