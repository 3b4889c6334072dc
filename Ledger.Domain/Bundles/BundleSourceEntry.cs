namespace Ledger.Domain.Bundles;

/// <summary>One entry of a log, as a <see cref="IBundleSource"/> yields it.</summary>
/// <param name="Position">Its position (Merkle leaf index).</param>
/// <param name="Canonical">Its exact canonical bytes (the leaf input).</param>
/// <remarks>Immutable; the bytes must not be changed after construction.</remarks>
public sealed record BundleSourceEntry(long Position, ReadOnlyMemory<byte> Canonical);
