using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Ledger.Domain.Events;

namespace Ledger.Domain.Federation;

/// <summary>
/// The text of the signed note in a <see cref="GovernanceAttestation"/> (docs/FORMAT.md §10.7): the serving ledger states
/// which entries of its <c>$governance</c> stream lie below one checkpoint size, and when it said so.
/// </summary>
/// <param name="Origin">The serving ledger's origin.</param>
/// <param name="Size">The checkpoint's tree size: the entries stated are those at positions below it.</param>
/// <param name="Root">The checkpoint's root hash (32 bytes).</param>
/// <param name="Version">The <c>$governance</c> version of the last entry below <paramref name="Size"/> (≥ 1).</param>
/// <param name="LastLeaf">The leaf hash of that entry (32 bytes).</param>
/// <param name="Time">The serving ledger's clock when it signed, UTC, to the microsecond.</param>
/// <remarks>Immutable; the byte arrays are not copied and must not be changed.</remarks>
public sealed record GovernanceStatement(string Origin, long Size, byte[] Root, long Version, byte[] LastLeaf, DateTimeOffset Time)
{
    /// <summary>The first line of the statement's text.</summary>
    public const string Header = "ledger-governance-attestation/v1";

    private static readonly string[] Keys = ["origin", "size", "root", "version", "leaf", "time"];

    /// <summary>The note text, each line <c>key SP value LF</c> after the header (FORMAT §10.7).</summary>
    public string ToText()
    {
        var text = new StringBuilder(Header).Append('\n');
        text.Append("origin ").Append(Origin).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"size {Size}\n");
        text.Append("root ").Append(Convert.ToBase64String(Root)).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"version {Version}\n");
        text.Append("leaf ").Append(Convert.ToBase64String(LastLeaf)).Append('\n');
        text.Append("time ").Append(Rfc3339.Format(Time)).Append('\n');
        return text.ToString();
    }

    /// <summary>Parses a statement text; false and the reason when it is not exactly the format.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out GovernanceStatement? statement, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        statement = null;
        var lines = text.Split('\n');
        if (lines.Length != Keys.Length + 2 || lines[0] != Header || lines[^1].Length != 0)
        {
            error = $"the statement is not '{Header}' followed by the {Keys.Length} lines {string.Join(", ", Keys)}";
            return false;
        }

        var values = new string[Keys.Length];
        for (var i = 0; i < Keys.Length; i++)
        {
            var prefix = Keys[i] + " ";
            if (!lines[i + 1].StartsWith(prefix, StringComparison.Ordinal) || lines[i + 1].Length == prefix.Length)
            {
                error = $"statement line {i + 2} is not '{Keys[i]} <value>'";
                return false;
            }

            values[i] = lines[i + 1][prefix.Length..];
        }

        if (!AttestationStatement.Decimal(values[1], out var size) || !AttestationStatement.Decimal(values[3], out var version) || version < 1 || size < 1)
        {
            error = "size and version must be positive decimal integers without leading zeroes";
            return false;
        }

        if (!AttestationStatement.Hash(values[2], out var root) || !AttestationStatement.Hash(values[4], out var leaf))
        {
            error = "root and leaf must each be the canonical base64 of 32 bytes";
            return false;
        }

        if (!Rfc3339.TryParse(values[5], out var time) || Rfc3339.Format(time) != values[5])
        {
            error = $"'{values[5]}' is not an RFC 3339 UTC time with six fractional digits";
            return false;
        }

        statement = new GovernanceStatement(values[0], size, root, version, leaf, time);
        error = null;
        return true;
    }
}
