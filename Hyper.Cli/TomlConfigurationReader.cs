using System.Globalization;
using Hyper.Core.Configuration;
using Tomlyn;
using Tomlyn.Model;

namespace Hyper.Cli;

/// <summary>
/// Reads a TOML config file, Hypercorn's format (keys at the top level, no <c>[hyper]</c> wrapper), into the
/// flat <c>section:key</c> form of Microsoft.Extensions.Configuration: tables become <c>table:key</c>, arrays
/// <c>key:0</c>, <c>key:1</c>. Scalars are written back as invariant text so the binder parses every source alike.
/// </summary>
internal static class TomlConfigurationReader
{
    public static Dictionary<string, string?> Read(string path, string text)
    {
        TomlTable document;
        try
        {
            document = TomlSerializer.Deserialize<TomlTable>(text)
                ?? throw new TomlException("the document is empty");
        }
        // Tomlyn 2.10 can also throw ArgumentOutOfRangeException on malformed input (an invalid escape at the end of
        // a string: it formats its error message from a non-character), found by fuzz target config-toml; the user
        // gets the same clear error either way.
        catch (Exception e) when (e is TomlException or ArgumentException)
        {
            throw new OptionsValidationException("config", $"'{path}': not valid TOML: {FirstLine(e.Message)}");
        }
        var flat = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in document) Flatten(flat, key, value);
        return flat;
    }

    private static void Flatten(Dictionary<string, string?> flat, string key, object? value)
    {
        switch (value)
        {
            case TomlTable table:
                foreach (var (child, childValue) in table) Flatten(flat, $"{key}:{child}", childValue);
                break;
            case TomlTableArray tables:
                for (var i = 0; i < tables.Count; i++) Flatten(flat, $"{key}:{i}", tables[i]);
                break;
            case TomlArray array when array.Count == 0:
                // An empty array is a value ("no server names"), not an absent key: keep the key, empty.
                flat[key] = "";
                break;
            case TomlArray array:
                for (var i = 0; i < array.Count; i++) Flatten(flat, $"{key}:{i}", array[i]);
                break;
            default:
                flat[key] = Scalar(value);
                break;
        }
    }

    private static string? Scalar(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
