namespace Ledger.Domain.Bundles;

/// <summary>
/// A consistency proof (RFC 9162 §2.1.4) from the previous checkpoint's tree size to the size of the checkpoint
/// on the next line.
/// </summary>
/// <param name="From">The previous checkpoint's size (at least 1).</param>
/// <param name="To">The next checkpoint's size (at least <paramref name="From"/>).</param>
/// <param name="Hashes">The proof, 32 bytes each.</param>
/// <remarks>Immutable and thread-safe; the arrays must not be changed after construction.</remarks>
public sealed record BundleConsistency(long From, long To, IReadOnlyList<byte[]> Hashes) : BundleRecord
{
    /// <inheritdoc />
    public override string RecordName => "consistency";
}
