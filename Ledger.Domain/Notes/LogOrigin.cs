using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ledger.Domain.Notes;

/// <summary>
/// The rule for a ledger's origin (DESIGN §4): the first line of its checkpoints and, by default, its signed-note key
/// name, so it must be both a valid checkpoint origin (c2sp.org/tlog-checkpoint) and a valid key name
/// (c2sp.org/signed-note): a schema-less URL-like name such as <c>ledger.example.com/eu-1</c>.
/// </summary>
/// <remarks>Valid: non-empty, at most <see cref="MaxLength"/> characters, no Unicode space, no <c>+</c>, no control
/// character, no unpaired surrogate, and no URL scheme (<c>://</c>). Stateless and thread-safe.</remarks>
public static class LogOrigin
{
    /// <summary>The longest origin accepted (it is repeated in every entry, so it counts against the entry limit).</summary>
    public const int MaxLength = 255;

    /// <summary>Whether <paramref name="origin"/> is a valid origin; if not, <paramref name="error"/> says why,
    /// naming the value.</summary>
    public static bool IsValid([NotNullWhen(true)] string? origin, [NotNullWhen(false)] out string? error) =>
        Check(origin, "origin", out error);

    /// <summary>Whether <paramref name="name"/> is a valid signed-note key name (no scheme check, which is the origin's
    /// own rule); if not, <paramref name="error"/> says why.</summary>
    public static bool IsValidKeyName([NotNullWhen(true)] string? name, [NotNullWhen(false)] out string? error)
    {
        if (!NoteKeys.IsValidName(name))
        {
            error = $"key name '{name}' is empty or has a space, a '+' or a control character (c2sp.org/signed-note)";
            return false;
        }

        error = null;
        return true;
    }

    private static bool Check(string? origin, string what, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(origin))
        {
            error = $"{what} is empty; use a schema-less URL-like name such as 'ledger.example.com/eu-1'";
        }
        else if (origin.Length > MaxLength)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{what} '{origin}' has {origin.Length} characters; at most {MaxLength} are allowed");
        }
        else if (!NoteKeys.IsValidName(origin))
        {
            error = $"{what} '{origin}' has a space, a '+' or a control character; use a schema-less URL-like name such as 'ledger.example.com/eu-1'";
        }
        else if (origin.Contains("://", StringComparison.Ordinal))
        {
            error = $"{what} '{origin}' has a URL scheme; use a schema-less name such as '{origin[(origin.IndexOf("://", StringComparison.Ordinal) + 3)..]}'";
        }

        return error is null;
    }
}
