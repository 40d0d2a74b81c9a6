using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Hyper.Core.Configuration;

/// <summary>
/// Reads <c>tls_certificates</c>, the one option that is a list of tables (TOML <c>[[tls_certificates]]</c>,
/// JSON an array of objects): each entry has <c>certfile</c>, <c>keyfile</c> and an optional
/// <c>server_names</c> list. Anything else in an entry is an error naming it, as for top-level keys.
/// </summary>
internal static class TlsCertificateTables
{
    private static readonly string[] EntryKeys = ["certfile", "keyfile", "server_names"];

    public static TlsCertificateEntry[] Parse(string key, IConfigurationSection section)
    {
        var items = section.GetChildren().ToList();
        if (items.Count == 0)
        {
            if (string.IsNullOrWhiteSpace(section.Value)) return [];
            throw new OptionsValidationException(key, "expected a list of tables with certfile, keyfile and server_names, got a single value");
        }
        var entries = new List<(int Index, TlsCertificateEntry Entry)>(items.Count);
        foreach (var item in items)
        {
            if (!int.TryParse(item.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                throw new OptionsValidationException(key, $"expected a list of tables, got a table with key '{item.Key}'");
            entries.Add((index, ParseEntry($"{key}[{index}]", item)));
        }
        return entries.OrderBy(e => e.Index).Select(e => e.Entry).ToArray();
    }

    private static TlsCertificateEntry ParseEntry(string where, IConfigurationSection table)
    {
        var fields = table.GetChildren().ToList();
        if (fields.Count == 0)
            throw new OptionsValidationException(where, "expected a table with certfile, keyfile and server_names");
        foreach (var field in fields)
        {
            if (!EntryKeys.Contains(field.Key, StringComparer.OrdinalIgnoreCase))
                throw new OptionsValidationException($"{where}.{field.Key}", $"unknown key; expected one of {string.Join(", ", EntryKeys)}");
        }
        var cert = Scalar(where, table, "certfile");
        var key = Scalar(where, table, "keyfile");
        var names = table.GetSection("server_names");
        var nameChildren = names.GetChildren().ToList();
        IReadOnlyList<string> serverNames = nameChildren.Count > 0
            ? nameChildren.OrderBy(c => int.TryParse(c.Key, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
                .Select(c => (c.Value ?? "").Trim()).Where(n => n.Length > 0).ToArray()
            : string.IsNullOrWhiteSpace(names.Value) ? [] : names.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new TlsCertificateEntry(cert, key) { ServerNames = serverNames };
    }

    private static string Scalar(string where, IConfigurationSection table, string name)
    {
        var field = table.GetSection(name);
        if (field.GetChildren().Any() || string.IsNullOrWhiteSpace(field.Value))
            throw new OptionsValidationException($"{where}.{name}", "expected a file path");
        return field.Value.Trim();
    }
}
