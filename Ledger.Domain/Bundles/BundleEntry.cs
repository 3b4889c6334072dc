namespace Ledger.Domain.Bundles;

/// <summary>
/// An entry line: exactly the entry's canonical bytes (RFC 8785), the Merkle leaf input, as the log holds them.
/// </summary>
/// <param name="Canonical">The entry's bytes without the line's newline. The reader gives each entry its own copy.</param>
/// <remarks>
/// Whether the bytes are a valid, canonical <see cref="Log.LedgerEntry"/> is the verifier's question. The reader takes
/// a line as an entry when it starts with <c>{"data":</c> (every canonical entry does, no record does), or when the
/// bundle's order requires an entry there and the line is not a record at all: a damaged entry is then reported at
/// its position rather than as an unreadable bundle. Immutable once built; thread-safe.
/// </remarks>
public sealed record BundleEntry(ReadOnlyMemory<byte> Canonical) : BundleRecord
{
    /// <inheritdoc />
    public override string RecordName => "entry";
}
