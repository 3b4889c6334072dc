using System.Globalization;

namespace Ledger.Store.Sqlite;

/// <summary>How SQLite columns hold times: RFC 3339 UTC text with six fractional digits.</summary>
internal static class SqliteText
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string FromTime(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset ToTime(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
