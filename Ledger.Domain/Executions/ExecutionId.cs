using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ledger.Domain.Executions;

/// <summary>The identity of one governed execution; its events live in the stream <c>execution-{id}</c>.</summary>
/// <remarks>
/// Invariant: the value is 1 to <see cref="MaxLength"/> characters of <c>[A-Za-z0-9._:-]</c>
/// (safe in stream names, URLs and file names). Compared ordinally. The default value is not a
/// valid id: reading its <see cref="Value"/> throws. Immutable and thread-safe.
/// </remarks>
public readonly record struct ExecutionId
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>The prefix of an execution's stream name.</summary>
    public const string StreamPrefix = "execution-";

    private readonly string? _value;

    private ExecutionId(string value) => _value = value;

    /// <summary>The id text.</summary>
    /// <exception cref="InvalidOperationException">This is the default value, not a parsed id.</exception>
    public string Value => _value ?? throw new InvalidOperationException("The default ExecutionId is not a valid id.");

    /// <summary>The name of the execution's stream, <c>execution-{id}</c>.</summary>
    public string StreamName => StreamPrefix + Value;

    /// <summary>Parses an id.</summary>
    /// <exception cref="FormatException">The text is not 1 to 128 characters of [A-Za-z0-9._:-].</exception>
    public static ExecutionId Parse(string value)
    {
        if (!TryParse(value, out var id))
        {
            throw new FormatException(
                $"Execution id '{value}' is invalid: expected 1 to {MaxLength.ToString(CultureInfo.InvariantCulture)} characters of [A-Za-z0-9._:-].");
        }

        return id;
    }

    /// <summary>Parses an id, returning false when the text is not valid.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out ExecutionId id)
    {
        id = default;
        if (!IsValid(value))
        {
            return false;
        }

        id = new ExecutionId(value);
        return true;
    }

    /// <summary>Whether the text is a valid id.</summary>
    public static bool IsValid([NotNullWhen(true)] string? value)
    {
        if (value is null || value.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads the id out of a stream name <c>execution-{id}</c>.</summary>
    public static bool TryFromStreamName(string? stream, out ExecutionId id)
    {
        id = default;
        return stream is not null
            && stream.StartsWith(StreamPrefix, StringComparison.Ordinal)
            && TryParse(stream[StreamPrefix.Length..], out id);
    }

    /// <summary>The id text (empty for the default value).</summary>
    public override string ToString() => _value ?? string.Empty;
}
