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

    /// <summary>
    /// Whether two JSON values have the same canonical form. <see cref="JsonElement.DeepEquals"/> settles most
    /// cases cheaply, but compares numbers as decimal text, so <c>1.0000000000000001</c> and <c>1</c> (the same
    /// double) differ there; the canonical bytes decide those.
    /// </summary>
    public static bool JsonEquals(JsonElement? a, JsonElement? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (JsonElement.DeepEquals(a.Value, b.Value))
        {
            return true;
        }

        try
        {
            return JsonCanonicalizer.Canonicalize(a.Value).AsSpan().SequenceEqual(JsonCanonicalizer.Canonicalize(b.Value));
        }
        catch (CanonicalJsonException)
        {
            return false;
        }
    }
}
