using System.Globalization;
using System.Text.RegularExpressions;

namespace Ledger.Domain.Events;

/// <summary>
/// RFC 3339 timestamps in event data: strict parsing (full date and time, seconds required, an
/// offset or <c>Z</c>), values kept to the ledger's resolution of one microsecond, and one
/// output form, the same as the entry's <c>recordedAt</c>: <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>.
/// </summary>
internal static partial class Rfc3339
{
    private const long TicksPerMicrosecond = 10;

    /// <summary>Parses <paramref name="text"/>; fractional digits beyond the microsecond are truncated.</summary>
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        // Nearly every timestamp a ledger reads back is in its own output form: read that without the regular expression.
        return TryParseCanonical(text, out value) || TryParseGeneral(text, out value);
    }

    /// <summary><see cref="TryParse"/> by the regular expression alone: every form RFC 3339 allows here.</summary>
    internal static bool TryParseGeneral(string text, out DateTimeOffset value)
    {
        value = default;
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var year = Int(match, "year");
        var month = Int(match, "month");
        var day = Int(match, "day");
        var hour = Int(match, "hour");
        var minute = Int(match, "minute");
        var second = Int(match, "second");
        if (year < 1 || month is < 1 or > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        if (day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var offset = TimeSpan.Zero;
        if (match.Groups["sign"].Success)
        {
            var offsetHours = Int(match, "oh");
            var offsetMinutes = Int(match, "om");
            if (offsetHours > 23 || offsetMinutes > 59)
            {
                return false;
            }

            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (match.Groups["sign"].Value == "-")
            {
                offset = offset.Negate();
            }
        }

        long fractionTicks = 0;
        if (match.Groups["fraction"].Success)
        {
            var digits = match.Groups["fraction"].Value;
            var micro = digits.Length >= 6 ? digits[..6] : digits.PadRight(6, '0');
            fractionTicks = long.Parse(micro, NumberStyles.None, CultureInfo.InvariantCulture) * TicksPerMicrosecond;
        }

        try
        {
            var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
            value = new DateTimeOffset(local.Ticks - offset.Ticks, TimeSpan.Zero);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>
    /// Parses exactly the one output form, <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> (what <see cref="Format"/> writes and an
    /// entry's <c>recordedAt</c> holds), without a regular expression. False for anything else, valid RFC 3339 or not:
    /// the caller then reads it the general way, so this only decides faster, never differently.
    /// </summary>
    public static bool TryParseCanonical(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length != 27 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || text[19] != '.' || text[26] != 'Z')
        {
            return false;
        }

        if (!Digits(text[..4], out var year) || !Digits(text.Slice(5, 2), out var month) || !Digits(text.Slice(8, 2), out var day)
            || !Digits(text.Slice(11, 2), out var hour) || !Digits(text.Slice(14, 2), out var minute)
            || !Digits(text.Slice(17, 2), out var second) || !Digits(text.Slice(20, 6), out var micro))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + (micro * TicksPerMicrosecond);
        value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    /// <summary>Formats an instant as UTC with exactly six fractional digits.</summary>
    public static string Format(DateTimeOffset value) =>
        TruncateToMicroseconds(value).UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The instant with its ticks below one microsecond dropped.</summary>
    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TicksPerMicrosecond), TimeSpan.Zero);

    // ASCII digits only (NumberStyles.None: no sign, no spaces).
    private static bool Digits(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static int Int(Match match, string group) =>
        int.Parse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(
        "^(?<year>[0-9]{4})-(?<month>[0-9]{2})-(?<day>[0-9]{2})[Tt](?<hour>[0-9]{2}):(?<minute>[0-9]{2}):(?<second>[0-9]{2})"
        + "(?:\\.(?<fraction>[0-9]{1,9}))?(?:[Zz]|(?<sign>[+-])(?<oh>[0-9]{2}):(?<om>[0-9]{2}))$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Pattern();
}
