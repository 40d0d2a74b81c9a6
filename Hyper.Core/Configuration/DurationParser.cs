using System.Globalization;

namespace Hyper.Core.Configuration;

/// <summary>
/// Reads a duration written as seconds, the way Hypercorn's timeouts are written (<c>keep_alive_timeout = 5</c>,
/// <c>--graceful-timeout 2.5</c>). Fractions are allowed; units and exponents are not, so a typo such as
/// <c>5s</c> or <c>5e3</c> is an error rather than a surprise.
/// </summary>
internal static class DurationParser
{
    /// <summary>The form shown in error messages.</summary>
    public const string ExpectedForm = "a number of seconds, e.g. 5 or 2.5";

    /// <summary>
    /// Parses <paramref name="text"/> as seconds. A negative value parses (so validation can name the rule it
    /// breaks); NaN, infinity and values beyond <see cref="TimeSpan.MaxValue"/> do not.
    /// </summary>
    public static bool TryParseSeconds(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        const NumberStyles style = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite
            | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;
        if (!double.TryParse(text, style, CultureInfo.InvariantCulture, out var seconds)) return false;
        if (!double.IsFinite(seconds) || Math.Abs(seconds) >= TimeSpan.MaxValue.TotalSeconds) return false;
        duration = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        return true;
    }
}
