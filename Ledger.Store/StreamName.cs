using System.Globalization;

namespace Ledger.Store;

/// <summary>
/// The rules for stream names: 1 to <see cref="MaxLength"/> characters, each an ASCII letter, an
/// ASCII digit or one of <c>- _ . : @ $</c> (so <c>execution-{id}</c>, <c>$ledger</c>, <c>$emitters</c>).
/// </summary>
public static class StreamName
{
    /// <summary>The longest stream name accepted.</summary>
    public const int MaxLength = 200;

    /// <summary>Whether <paramref name="name"/> follows the rules.</summary>
    public static bool IsValid(string? name) => Problem(name) is null;

    /// <summary>What is wrong with <paramref name="name"/>, or null when it follows the rules.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "The stream name is empty.";
        }

        if (name.Length > MaxLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The stream name is {name.Length} characters long; at most {MaxLength} are allowed.");
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@' or '$'))
            {
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"The stream name '{name}' has the character U+{(int)c:X4} at index {i}; allowed are ASCII letters, digits and - _ . : @ $.");
            }
        }

        return null;
    }
}
