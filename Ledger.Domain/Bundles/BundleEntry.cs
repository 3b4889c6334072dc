namespace Ledger.Domain.Bundles;

/// <summary>
/// An entry line: exactly the entry's canonical bytes (RFC 8785), the Merkle leaf input, as the log holds them.
/// </summary>
/// <param name="Canonical">The entry's bytes without the line's newline. The reader gives each entry its own copy.</param>
/// <remarks>
/// Whether the bytes are a valid, canonical <see cref="Log.LedgerEntry"/> is the verifier's question: the reader
/// only requires that the line starts with <c>{"data":</c> (every canonical entry does) so it is told apart from
/// the other records. Immutable once built; thread-safe.
/// </remarks>
public sealed record BundleEntry(ReadOnlyMemory<byte> Canonical) : BundleRecord
{
    /// <inheritdoc />
    public override string RecordName => "entry";
}
