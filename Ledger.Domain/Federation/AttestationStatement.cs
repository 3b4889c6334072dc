using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Federation;

/// <summary>
/// The text of the signed note in an <see cref="ExecutionAttestation"/> (docs/FORMAT.md §10.2): the serving ledger
/// states what one execution's stream folds to at one checkpoint size, and when it said so.
/// </summary>
/// <param name="Origin">The serving ledger's origin.</param>
/// <param name="Execution">The execution.</param>
/// <param name="Size">The checkpoint's tree size: the entries stated are those at positions below it.</param>
/// <param name="Root">The checkpoint's root hash (32 bytes).</param>
/// <param name="Version">The stream version of the last entry below <paramref name="Size"/> (≥ 1).</param>
/// <param name="LastLeaf">The leaf hash of that entry (32 bytes).</param>
/// <param name="Status">The status the entries fold to.</param>
/// <param name="Time">The serving ledger's clock when it signed, UTC, to the microsecond.</param>
/// <remarks>Immutable; the byte arrays are not copied and must not be changed.</remarks>
public sealed record AttestationStatement(
    string Origin, ExecutionId Execution, long Size, byte[] Root, long Version, byte[] LastLeaf, ExecutionStatus Status, DateTimeOffset Time)
{
    /// <summary>The first line of the statement's text.</summary>
    public const string Header = "ledger-execution-attestation/v1";

    /// <summary>The note text, each line <c>key SP value LF</c> after the header (FORMAT §10.2).</summary>
    public string ToText()
    {
        var text = new StringBuilder(Header).Append('\n');
        text.Append("origin ").Append(Origin).Append('\n');
        text.Append("execution ").Append(Execution.Value).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"size {Size}\n");
        text.Append("root ").Append(Convert.ToBase64String(Root)).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"version {Version}\n");
        text.Append("leaf ").Append(Convert.ToBase64String(LastLeaf)).Append('\n');
        text.Append("status ").Append(Status.ToWireName()).Append('\n');
        text.Append("time ").Append(Rfc3339.Format(Time)).Append('\n');
        return text.ToString();
    }

    /// <summary>Parses a statement text; false and the reason when it is not exactly the format.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out AttestationStatement? statement, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        statement = null;
        var lines = text.Split('\n');
        string[] keys = ["origin", "execution", "size", "root", "version", "leaf", "status", "time"];
        if (lines.Length != keys.Length + 2 || lines[0] != Header || lines[^1].Length != 0)
        {
            error = $"the statement is not '{Header}' followed by the {keys.Length} lines {string.Join(", ", keys)}";
            return false;
        }

        var values = new string[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var prefix = keys[i] + " ";
            if (!lines[i + 1].StartsWith(prefix, StringComparison.Ordinal) || lines[i + 1].Length == prefix.Length)
            {
                error = $"statement line {i + 2} is not '{keys[i]} <value>'";
                return false;
            }

            values[i] = lines[i + 1][prefix.Length..];
        }

        if (!ExecutionId.TryParse(values[1], out var execution))
        {
            error = $"'{values[1]}' is not an execution id";
            return false;
        }

        if (!Decimal(values[2], out var size) || !Decimal(values[4], out var version) || version < 1 || size < 1)
        {
            error = "size and version must be positive decimal integers without leading zeroes";
            return false;
        }

        if (!Hash(values[3], out var root) || !Hash(values[5], out var leaf))
        {
            error = "root and leaf must each be the canonical base64 of 32 bytes";
            return false;
        }

        if (!TryParseStatus(values[6], out var status))
        {
            error = $"'{values[6]}' is not an execution status";
            return false;
        }

        if (!Rfc3339.TryParse(values[7], out var time) || Rfc3339.Format(time) != values[7])
        {
            error = $"'{values[7]}' is not an RFC 3339 UTC time with six fractional digits";
            return false;
        }

        statement = new AttestationStatement(values[0], execution, size, root, version, leaf, status, time);
        error = null;
        return true;
    }

    /// <summary>The status with wire name <paramref name="name"/> (<c>running</c>, <c>halted</c>, …).</summary>
    public static bool TryParseStatus(string name, out ExecutionStatus status)
    {
        foreach (var candidate in Enum.GetValues<ExecutionStatus>())
        {
            if (candidate.ToWireName() == name)
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    internal static bool Decimal(string text, out long value)
    {
        value = 0;
        return text.Length > 0 && text.All(char.IsAsciiDigit) && (text == "0" || text[0] != '0')
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    internal static bool Hash(string text, out byte[] hash) =>
        Log.StrictBase64.TryDecode(text, out hash) && hash.Length == Checkpoint.HashSize;
}
