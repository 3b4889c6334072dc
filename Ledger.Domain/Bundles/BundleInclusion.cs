namespace Ledger.Domain.Bundles;

/// <summary>
/// An inclusion proof (RFC 9162 §2.1.3) of the entry on the next line, at leaf <see cref="Index"/> of the tree of
/// <see cref="TreeSize"/> leaves: the size of the latest checkpoint (partial bundles) or of the frontier (the
/// context entries of a full bundle that starts after position 0).
/// </summary>
/// <param name="Index">The entry's position.</param>
/// <param name="TreeSize">The size of the tree the proof leads to.</param>
/// <param name="Hashes">The audit path, lowest level first, 32 bytes each.</param>
/// <remarks>Immutable and thread-safe; the arrays must not be changed after construction.</remarks>
public sealed record BundleInclusion(long Index, long TreeSize, IReadOnlyList<byte[]> Hashes) : BundleRecord
{
    /// <inheritdoc />
    public override string RecordName => "inclusion";
}
