using System.Text;
using Hyper.Cli;
using Hyper.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace Hyper.Fuzz.Targets;

/// <summary>
/// FZ-07: a TOML config file (Hypercorn's format) read and bound as `hyper --config` does: TOML reader, flattening,
/// option binder and validation, binds included. Invariant: the only exception is
/// <see cref="OptionsValidationException"/>, and it names a key (DESIGN §4: a wrong value is a clear startup error
/// naming the key).
/// </summary>
public sealed class ConfigurationTarget : IFuzzTarget
{
    public string Name => "config-toml";

    public void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        try
        {
            var flat = TomlConfigurationReader.Read("fuzz.toml", text);
            HyperOptionsBinder.Bind(new ConfigurationBuilder().AddInMemoryCollection(flat).Build());
        }
        catch (OptionsValidationException e)
        {
            if (string.IsNullOrWhiteSpace(e.Key)) throw new FuzzInvariantException($"a configuration error names no key: {e.Message}");
        }
    }
}
