using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Hyper.Core.Configuration;

/// <summary>
/// Builds a validated <see cref="HyperOptions"/> from an <see cref="IConfiguration"/> whose keys are Hypercorn's
/// snake_case names. The key table is read from the <see cref="OptionKeyAttribute"/>s on <see cref="HyperOptions"/>
/// and on the option groups it holds (<see cref="Http11Limits"/>, <see cref="Http2Limits"/>, …: any property of
/// <see cref="HyperOptions"/> whose type declares option keys; their keys sit flat at the top level, as Hypercorn's
/// <c>h11_*</c> and <c>h2_*</c> keys do), so
/// a key is spelt once. A key the table does not know, or a value of the wrong form, is a startup error naming
/// the key: a typo must never fall back silently to a default.
/// </summary>
public static class HyperOptionsBinder
{
    /// <summary>One configurable option: its key, CLI flag and the property it sets.</summary>
    public sealed record OptionDefinition(string Key, string? Flag, string Help, PropertyInfo Property, PropertyInfo? Group)
    {
        /// <summary>Element type for list options (<c>bind</c>, <c>server_names</c>); null for scalars.</summary>
        public Type? ListElementType { get; init; }

        /// <summary>A reference-typed option whose empty value means "unset" (e.g. <c>accesslog</c>).</summary>
        public bool IsNullable { get; init; }

        public bool IsList => ListElementType is not null;

        /// <summary>The record that declares the option: <see cref="HyperOptions"/> or one of its option groups.</summary>
        public Type Owner => Group?.PropertyType ?? typeof(HyperOptions);

        /// <summary>True for the HTTP/1.1 limits (<c>h11_*</c>, <c>max_header_count</c>, <c>max_body_size</c>).</summary>
        public bool IsHttp11Limit => Owner == typeof(Http11Limits);

        public bool IsBoolean => Property.PropertyType == typeof(bool);

        /// <summary>The environment variable that sets this option: <c>HYPER_</c> + the key in upper case.</summary>
        public string EnvironmentVariable => "HYPER_" + Key.ToUpperInvariant();

        /// <summary>What a valid value looks like, for error messages and --help.</summary>
        public string ExpectedForm => (ListElementType ?? Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType) switch
        {
            var t when t == typeof(bool) => "a boolean: true/false, 1/0, yes/no, on/off",
            var t when t == typeof(int) || t == typeof(long) => "a whole number",
            var t when t == typeof(double) => "a number",
            var t when t == typeof(TimeSpan) => DurationParser.ExpectedForm,
            var t when t == typeof(BindAddress) => "host:port, [v6]:port, unix:/path or fd://N",
            var t when t == typeof(TlsCertificateEntry) => "a table with certfile, keyfile and optional server_names",
            _ => "a string",
        };
    }

    private static readonly string[] TrueWords = ["true", "1", "yes", "on"];
    private static readonly string[] FalseWords = ["false", "0", "no", "off"];

    /// <summary>Every option, in declaration order: <see cref="HyperOptions"/> first, then <see cref="Http11Limits"/>.</summary>
    public static IReadOnlyList<OptionDefinition> Options { get; } = Discover();

    private static readonly Dictionary<string, OptionDefinition> ByKey =
        Options.ToDictionary(o => o.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>The option with this key (case-insensitive, as <see cref="IConfiguration"/> keys are), or null.</summary>
    public static OptionDefinition? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>Reads every option present in <paramref name="configuration"/> over the defaults, then validates.</summary>
    /// <exception cref="OptionsValidationException">An unknown key, a value of the wrong form, or a failed rule.</exception>
    public static HyperOptions Bind(IConfiguration configuration)
    {
        var options = new HyperOptions();
        // A group record (Http11Limits, Http2Limits, TlsOptions, …) is created only when one of its keys is present;
        // its defaults fill the rest.
        var groups = new Dictionary<PropertyInfo, object>();
        foreach (var section in configuration.GetChildren())
        {
            var option = Find(section.Key) ?? throw UnknownOption(section.Key);
            var value = Convert(option, section);
            // The options object and the group records are fresh and unshared, so setting init-only properties is safe.
            var target = option.Group is null
                ? options
                : groups.TryGetValue(option.Group, out var group) ? group : groups[option.Group] = Activator.CreateInstance(option.Group.PropertyType)!;
            option.Property.SetValue(target, value);
        }
        foreach (var (property, group) in groups) property.SetValue(options, group);
        return options.Validate();
    }

    /// <summary>The exception for an unknown key, suggesting the nearest known key when one is close.</summary>
    public static OptionsValidationException UnknownOption(string key)
    {
        var suggestion = SuggestKey(key);
        var hint = suggestion is null ? "" : $"; did you mean '{suggestion}'?";
        return new OptionsValidationException(key, $"unknown option '{key}'{hint}");
    }

    /// <summary>The known key nearest to <paramref name="key"/> by edit distance, if it is plausibly a typo of it.</summary>
    public static string? SuggestKey(string key)
    {
        var normalized = key.ToLowerInvariant().Replace('-', '_');
        var best = Options
            .Select(o => (o.Key, Distance: EditDistance(normalized, o.Key)))
            .OrderBy(c => c.Distance)
            .First();
        return best.Distance <= Math.Max(2, normalized.Length / 3) ? best.Key : null;
    }

    private static object? Convert(OptionDefinition option, IConfigurationSection section)
    {
        var items = section.GetChildren().ToList();
        if (option.ListElementType == typeof(TlsCertificateEntry))
            return TlsCertificateTables.Parse(option.Key, section);
        if (option.IsList)
        {
            var texts = items.Count == 0
                ? SingleValueAsList(section.Value)
                : ListItems(option, items);
            return option.ListElementType == typeof(BindAddress)
                ? texts.Select(t => ParseBind(option, t)).ToArray()
                : texts.ToArray();
        }
        if (items.Count > 0)
            throw new OptionsValidationException(option.Key, $"expected a single value ({option.ExpectedForm}), got a list or table");
        return ParseScalar(option, section.Value ?? "");
    }

    // A single string where a list is expected is a one-element list (`bind = "0.0.0.0:80"`); empty means none.
    private static List<string> SingleValueAsList(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : [value.Trim()];

    private static List<string> ListItems(OptionDefinition option, List<IConfigurationSection> items)
    {
        var indexed = new List<(int Index, string Value)>(items.Count);
        foreach (var item in items)
        {
            if (!int.TryParse(item.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || item.GetChildren().Any())
                throw new OptionsValidationException(option.Key, $"expected a list of {option.ExpectedForm}, got a table with key '{item.Key}'");
            indexed.Add((index, item.Value ?? ""));
        }
        return indexed.OrderBy(i => i.Index).Select(i => i.Value.Trim()).ToList();
    }

    private static BindAddress ParseBind(OptionDefinition option, string text) =>
        BindAddress.TryParse(text, out var bind, out var error)
            ? bind
            : throw new OptionsValidationException(option.Key, error);

    private static object? ParseScalar(OptionDefinition option, string raw)
    {
        var type = option.Property.PropertyType;
        var text = raw.Trim();
        if (type == typeof(string))
            return option.IsNullable && text.Length == 0 ? null : raw;
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            if (text.Length == 0) return null;
            type = underlying;
        }
        object? value = type switch
        {
            _ when type == typeof(bool) => ParseBoolean(text),
            _ when type == typeof(int) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                && l is >= int.MinValue and <= int.MaxValue ? (int)l : null,
            _ when type == typeof(long) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null,
            _ when type == typeof(double) => double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null,
            _ when type == typeof(TimeSpan) => DurationParser.TryParseSeconds(text, out var t) ? t : null,
            _ => throw new InvalidOperationException($"option '{option.Key}' has unsupported type {type}"),
        };
        return value ?? throw new OptionsValidationException(option.Key, $"'{raw}' is not {option.ExpectedForm}");
    }

    private static object? ParseBoolean(string text)
    {
        if (TrueWords.Contains(text, StringComparer.OrdinalIgnoreCase)) return true;
        if (FalseWords.Contains(text, StringComparer.OrdinalIgnoreCase)) return false;
        return null;
    }

    private static List<OptionDefinition> Discover()
    {
        var nullability = new NullabilityInfoContext();
        var found = new List<OptionDefinition>();
        var owners = new List<(Type Owner, PropertyInfo? Group)> { (typeof(HyperOptions), null) };
        foreach (var property in typeof(HyperOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            var declaresKeys = property.PropertyType.IsClass && property.PropertyType != typeof(string)
                && property.PropertyType.GetProperties().Any(p => p.GetCustomAttribute<OptionKeyAttribute>() is not null);
            if (declaresKeys) owners.Add((property.PropertyType, property));
        }
        foreach (var (owner, group) in owners)
        {
            foreach (var property in owner.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
            {
                if (property.GetCustomAttribute<OptionKeyAttribute>() is not { } attribute) continue;
                var type = property.PropertyType;
                var element = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)
                    ? type.GetGenericArguments()[0]
                    : null;
                found.Add(new OptionDefinition(attribute.Key, attribute.Flag, attribute.Help, property, group)
                {
                    ListElementType = element,
                    IsNullable = !type.IsValueType && nullability.Create(property).WriteState == NullabilityState.Nullable,
                });
            }
        }
        return found;
    }

    // Levenshtein distance; the key table is small, so the quadratic version is plenty.
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
