using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Canonical;

namespace Ledger.Domain.Log;

/// <summary>Guards shared by the entry and statement records.</summary>
internal static class EntryText
{
    /// <summary>The largest integer a JSON number carries exactly (2^53 - 1, ECMAScript's <c>Number.MAX_SAFE_INTEGER</c>).</summary>
    public const long MaxSafeInteger = 9_007_199_254_740_991;

    /// <summary>Throws unless <paramref name="value"/> is non-empty, well-formed UTF-16.</summary>
    public static string Required(string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length == 0)
        {
            throw new ArgumentException($"{name} must not be empty.", name);
        }

        return WellFormed(value, name);
    }

    /// <summary>Throws if <paramref name="value"/> is not null and not non-empty, well-formed UTF-16.</summary>
    public static string? Optional(string? value, string name) => value is null ? null : Required(value, name);

    /// <summary>Throws if <paramref name="value"/> holds an unpaired surrogate, which has no UTF-8 form.</summary>
    public static string WellFormed(string value, string name)
    {
        var lone = CanonicalString.IndexOfLoneSurrogate(value);
        if (lone >= 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{name} holds an unpaired surrogate U+{(int)value[lone]:X4} at index {lone}; it has no UTF-8 form."),
                name);
        }

        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is a JSON object; returns a copy that outlives its document.</summary>
    public static JsonElement Object(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{name} must be a JSON object, not {value.ValueKind}."),
                name);
        }

        return value.Clone();
    }

    /// <summary>Like <see cref="Object"/>, but null (or a JSON null) stands for "absent".</summary>
    public static JsonElement? OptionalObject(JsonElement? value, string name) =>
        value is null || value.Value.ValueKind == JsonValueKind.Null ? null : Object(value.Value, name);

    /// <summary>Writes <paramref name="value"/>'s own bytes, leaving all checks to the canonicalizer.</summary>
    public static void WriteRaw(Utf8JsonWriter writer, string name, JsonElement? value)
    {
        writer.WritePropertyName(name);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value.Value), skipInputValidation: true);
        }
    }

    public static bool JsonEquals(JsonElement? a, JsonElement? b) =>
        a is null ? b is null : b is not null && JsonElement.DeepEquals(a.Value, b.Value);
}
