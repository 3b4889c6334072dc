using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.Domain.Log;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ledger.Api.Hosting;

/// <summary>
/// Every time the API answers in JSON (read models, tokens, checkpoints) is written in the log's one form: RFC 3339
/// UTC with six fractional digits and <c>Z</c> (<see cref="LedgerEntry.RecordedAtFormat"/>), never <c>+00:00</c>; the
/// OpenAPI document still describes such a member as a <c>date-time</c> string.
/// </summary>
public static class UtcTimestamps
{
    public static IServiceCollection AddUtcTimestamps(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new Converter()));
        services.ConfigureAll<OpenApiOptions>(o => o.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
            {
                schema.Type = type == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                schema.Format = "date-time";
            }

            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>Writes UTC with <c>Z</c> to the microsecond; reads any RFC 3339 time.</summary>
    public sealed class Converter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.UtcDateTime.ToString(LedgerEntry.RecordedAtFormat, CultureInfo.InvariantCulture));
        }
    }
}
