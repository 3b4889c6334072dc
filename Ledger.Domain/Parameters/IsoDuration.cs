using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ledger.Domain.Parameters;

/// <summary>
/// The ledger's one duration grammar (docs/FORMAT.md §6.1), used by the event codecs, the HTTP API and
/// every other reader: ISO 8601 durations limited to exact units, <c>P[nD][T[nH][nM][n[.f]S]]</c>
/// (weeks, months and years have no fixed length and are refused), at most six fractional second
/// digits, positive. Written normalized: days folded into hours, no zero components, e.g.
/// <c>PT24H</c>, <c>PT1M30S</c>.
/// </summary>
/// <remarks>
/// Parsing never throws: a value too large for <see cref="TimeSpan"/> is refused like any other
/// spelling outside the grammar. Ranges (e.g. the ledger parameters' upper bound) are the caller's.
/// Stateless and thread-safe.
/// </remarks>
public static partial class IsoDuration
{
    /// <summary>Parses <paramref name="text"/>; false when it is null or not a positive duration of the grammar.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out TimeSpan value)
    {
        value = default;
        if (text is null)
        {
            return false;
        }

        var match = Pattern().Match(text);
        if (!match.Success || text == "P" || text.EndsWith('T'))
        {
            return false;
        }

        try
        {
            long ticks = 0;
            ticks = checked(ticks + (Number(match, "d") * TimeSpan.TicksPerDay));
            ticks = checked(ticks + (Number(match, "h") * TimeSpan.TicksPerHour));
            ticks = checked(ticks + (Number(match, "m") * TimeSpan.TicksPerMinute));
            ticks = checked(ticks + (Number(match, "s") * TimeSpan.TicksPerSecond));
            if (match.Groups["f"].Success)
            {
                var micro = match.Groups["f"].Value.PadRight(6, '0');
                ticks = checked(ticks + (long.Parse(micro, NumberStyles.None, CultureInfo.InvariantCulture) * 10));
            }

            value = TimeSpan.FromTicks(ticks);
            return ticks > 0;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>The normalized form of a positive duration, truncated to the microsecond.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than one microsecond.</exception>
    public static string Format(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
        var ticks = value.Ticks - (value.Ticks % 10);
        if (ticks == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A duration on the wire is at least one microsecond.");
        }

        var hours = ticks / TimeSpan.TicksPerHour;
        var minutes = ticks % TimeSpan.TicksPerHour / TimeSpan.TicksPerMinute;
        var seconds = ticks % TimeSpan.TicksPerMinute / TimeSpan.TicksPerSecond;
        var micros = ticks % TimeSpan.TicksPerSecond / 10;
        var text = new StringBuilder("PT");
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}H");
        }

        if (minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{minutes}M");
        }

        if (seconds > 0 || micros > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{seconds}");
            if (micros > 0)
            {
                text.Append('.').Append(micros.ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0'));
            }

            text.Append('S');
        }

        return text.ToString();
    }

    private static long Number(Match match, string group) =>
        match.Groups[group].Success ? long.Parse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex("^P(?:(?<d>[0-9]{1,9})D)?(?:T(?:(?<h>[0-9]{1,12})H)?(?:(?<m>[0-9]{1,12})M)?(?:(?<s>[0-9]{1,12})(?:\\.(?<f>[0-9]{1,6}))?S)?)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Pattern();
}
