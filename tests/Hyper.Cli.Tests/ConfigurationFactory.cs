using Microsoft.Extensions.Configuration;

namespace Hyper.Cli.Tests;

/// <summary>Builds an in-memory configuration from key/value pairs, as a config source would yield them.</summary>
internal static class ConfigurationFactory
{
    public static IConfiguration From(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
}
