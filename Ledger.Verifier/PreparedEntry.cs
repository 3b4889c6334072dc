using Ledger.Domain.Log;

namespace Ledger.Verifier;

/// <summary>
/// One entry line with everything that can be worked out without knowing the entries before it: its leaf hash,
/// its parsed envelope, its parsed event, and whether its emitter signature verifies under the key its key id names.
/// Filled in parallel by <see cref="EntryPreparer"/>, then read by the sequential checks in log order.
/// </summary>
internal sealed class PreparedEntry
{
    public PreparedEntry(ReadOnlyMemory<byte> bytes) => Bytes = bytes;

    public ReadOnlyMemory<byte> Bytes { get; private set; }

    public byte[] LeafHash { get; } = new byte[32];

    /// <summary>The parsed entry; null when <see cref="ParseError"/> is set or parsing was skipped.</summary>
    public LedgerEntry? Entry { get; set; }

    public string? ParseError { get; set; }

    public string? ParseErrorCode { get; set; }

    /// <summary>The parsed data: an execution, emitter or parameters event; null when not parsed or invalid.</summary>
    public object? Event { get; set; }

    /// <summary>Why the data is not a valid event of its type, when it is not.</summary>
    public IReadOnlyList<string>? EventErrors { get; set; }

    public SignatureState Signature { get; set; }

    /// <summary>
    /// Lets go of the entry once it is checked: its parsed objects (garbage from then on, unless the checks kept them) and
    /// its bytes (a slice of a buffer that goes back to the pool with its batch).
    /// </summary>
    public void Clear() => Reset(ReadOnlyMemory<byte>.Empty);

    /// <summary>Makes this object the preparation of another entry (reused when nothing keeps the previous one).</summary>
    public void Reset(ReadOnlyMemory<byte> bytes)
    {
        Bytes = bytes;
        Entry = null;
        ParseError = null;
        ParseErrorCode = null;
        Event = null;
        EventErrors = null;
        Signature = default;
    }
}
