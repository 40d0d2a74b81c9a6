using System.Collections;
using System.Text.RegularExpressions;
using Hyper.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace Hyper.Cli;

/// <summary>
/// The configuration layers, lowest first: the defaults in <see cref="HyperOptions"/>, a config file (TOML like
/// Hypercorn's, JSON or INI), <c>HYPER_*</c> environment variables, the command line. Each layer is read into
/// flat <c>key</c> / <c>key:0</c> entries; <see cref="Build"/> merges them so that a higher layer replaces an
/// option <em>whole</em>. (Stacking IConfiguration providers would merge lists index by index: a file's
/// <c>bind = [a, b, c]</c> under <c>--bind x</c> would give <c>[x, b, c]</c>.)
/// </summary>
/// <remarks>
/// Every option has an environment variable: <c>HYPER_</c> + its key in upper case (<c>HYPER_KEEP_ALIVE_TIMEOUT=3</c>);
/// list options take comma-separated values (<c>HYPER_BIND=127.0.0.1:8001,[::1]:8001</c>). A variable that looks
/// like an option (<c>HYPER_</c> + upper snake case) but names none is an error, so a typo is never ignored.
/// <c>HYPER_H2SPEC</c> and <c>HYPER_TEST_*</c> are reserved for test tooling and skipped.
/// </remarks>
internal sealed partial class ConfigurationSources
{
    public const string EnvironmentPrefix = "HYPER_";

    private readonly List<Dictionary<string, string?>> layers = [];

    /// <summary>Adds a config file, its format chosen by extension: <c>.toml</c>, <c>.json</c> or <c>.ini</c>.</summary>
    public ConfigurationSources AddFile(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new OptionsValidationException("config", $"'{path}': no such file");
        var extension = Path.GetExtension(fullPath).ToLowerInvariant();
        layers.Add(extension switch
        {
            ".toml" => TomlConfigurationReader.Read(path, File.ReadAllText(fullPath)),
            ".json" => ReadWithProvider(path, b => b.AddJsonFile(fullPath, optional: false, reloadOnChange: false)),
            ".ini" => ReadWithProvider(path, b => b.AddIniFile(fullPath, optional: false, reloadOnChange: false)),
            _ => throw new OptionsValidationException("config", $"'{path}': unknown config format '{extension}', expected .toml, .json or .ini"),
        });
        return this;
    }

    /// <summary>Adds the <c>HYPER_*</c> variables of <paramref name="environment"/> (injected, so tests need not touch the process's).</summary>
    public ConfigurationSources AddEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        var layer = NewLayer();
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!OptionLikeVariable().IsMatch(name) || IsReservedForTooling(name)) continue;
            var key = name[EnvironmentPrefix.Length..].ToLowerInvariant();
            var option = HyperOptionsBinder.Find(key) ?? throw UnknownVariable(name, key);
            if (option.IsList) SetList(layer, option.Key, SplitList(value));
            else layer[option.Key] = value;
        }
        layers.Add(layer);
        return this;
    }

    /// <summary>Adds a layer already in flat form, e.g. the command line's.</summary>
    public ConfigurationSources AddLayer(IReadOnlyDictionary<string, string?> values)
    {
        var layer = NewLayer();
        foreach (var (key, value) in values) layer[key] = value;
        layers.Add(layer);
        return this;
    }

    /// <summary>Merges the layers, a higher one replacing each option it names as a whole.</summary>
    public IConfiguration Build()
    {
        var merged = NewLayer();
        foreach (var layer in layers)
        {
            var named = layer.Keys.Select(TopLevelKey).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var stale in merged.Keys.Where(k => named.Contains(TopLevelKey(k))).ToList()) merged.Remove(stale);
            foreach (var (key, value) in layer) merged[key] = value;
        }
        return new ConfigurationBuilder().AddInMemoryCollection(merged).Build();
    }

    /// <summary>The process environment as a dictionary, for <see cref="AddEnvironment"/>.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            result[(string)entry.Key] = entry.Value as string;
        return result;
    }

    /// <summary>Writes a list option as <c>key:0</c>, <c>key:1</c>…; an empty list as an empty <c>key</c>.</summary>
    public static void SetList(IDictionary<string, string?> layer, string key, IReadOnlyList<string> items)
    {
        if (items.Count == 0) { layer[key] = ""; return; }
        for (var i = 0; i < items.Count; i++) layer[$"{key}:{i}"] = items[i];
    }

    /// <summary>Splits a comma-separated list (environment variables, <c>--set</c>), dropping empty items.</summary>
    public static IReadOnlyList<string> SplitList(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static bool IsReservedForTooling(string name) =>
        name == "HYPER_H2SPEC" || name.StartsWith("HYPER_TEST_", StringComparison.Ordinal);

    private static OptionsValidationException UnknownVariable(string name, string key)
    {
        var suggestion = HyperOptionsBinder.SuggestKey(key);
        var hint = suggestion is null ? "" : $"; did you mean HYPER_{suggestion.ToUpperInvariant()}?";
        return new OptionsValidationException(name, $"unknown option '{key}'{hint} (HYPER_H2SPEC and HYPER_TEST_* are reserved for tooling)");
    }

    private static Dictionary<string, string?> ReadWithProvider(string path, Action<IConfigurationBuilder> add)
    {
        IConfigurationRoot root;
        try
        {
            var builder = new ConfigurationBuilder();
            add(builder);
            root = builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new OptionsValidationException("config", $"'{path}': {FirstLine(e.InnerException?.Message ?? e.Message)}");
        }
        var layer = NewLayer();
        // Parent sections appear with a null value beside their children; only leaves carry values.
        foreach (var (key, value) in root.AsEnumerable(makePathsRelative: true))
            if (value is not null) layer[key] = value;
        return layer;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    private static string TopLevelKey(string key)
    {
        var colon = key.IndexOf(':');
        return colon < 0 ? key : key[..colon];
    }

    private static Dictionary<string, string?> NewLayer() => new(StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex("^HYPER_[A-Z0-9_]+$")]
    private static partial Regex OptionLikeVariable();
}
