using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.Domain.Log;

namespace Ledger.Api.Hosting;

/// <summary>
/// Writes every time the API answers in JSON (read models, tokens, checkpoints) in the log's one form: RFC 3339 UTC
/// with six fractional digits and <c>Z</c> (<see cref="LedgerEntry.RecordedAtFormat"/>), never <c>+00:00</c>. Reads any
/// RFC 3339 time.
/// </summary>
public sealed class UtcTimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString(LedgerEntry.RecordedAtFormat, CultureInfo.InvariantCulture));
    }
}
