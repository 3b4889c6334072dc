using System.Globalization;
using System.Text.Json;
using Ledger.Api.Hosting;
using Ledger.Application.Hosting;

namespace Ledger.Api.Append;

/// <summary>Limits on what an emitter may put in <c>data</c> and <c>metadata</c>: string lengths, array sizes, depth, numbers.</summary>
public static class JsonLimits
{
    private const int MaxDepth = 16;
    private const double MaxSafeInteger = 9_007_199_254_740_991;

    /// <summary>The first limit <paramref name="value"/> breaks, or null.</summary>
    public static string? Check(JsonElement value, LedgerLimits limits) => Check(value, limits, "$", 0);

    private static string? Check(JsonElement value, LedgerLimits limits, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            return $"{path}: nested deeper than {MaxDepth} levels.";
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var length = value.GetString()!.Length;
                return length > limits.MaxStringLength
                    ? string.Create(CultureInfo.InvariantCulture, $"{path}: a string of {length} characters; at most {limits.MaxStringLength} are allowed.")
                    : null;
            case JsonValueKind.Number:
                return value.TryGetDouble(out var d) && double.IsFinite(d) && Math.Abs(d) <= MaxSafeInteger
                    ? null
                    : $"{path}: the number {value.GetRawText()} is outside ±(2^53−1).";
            case JsonValueKind.Array:
                var count = value.GetArrayLength();
                if (count > limits.MaxArrayLength)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"{path}: an array of {count} items; at most {limits.MaxArrayLength} are allowed.");
                }

                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (Check(item, limits, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]"), depth + 1) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var member in value.EnumerateObject())
                {
                    if (member.Name.Length > limits.MaxStringLength)
                    {
                        return $"{path}: a member name longer than {limits.MaxStringLength} characters.";
                    }

                    if (Check(member.Value, limits, $"{path}.{member.Name}", depth + 1) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
