namespace Ledger.Domain.Bundles;

/// <summary>
/// What <see cref="BundleExport"/> reads from a log to build a bundle: entries, checkpoints and proofs. The store
/// (or an in-memory log in tests) implements it; the export decides what goes into the bundle and in which order.
/// </summary>
/// <remarks>
/// Every sequence is read once, forward, and may be consumed lazily: an export holds one entry or proof at a time
/// (plus one pending enumerator per exported stream for partial exports). Implementations must be safe to call
/// sequentially from one export; they need not be thread-safe.
/// </remarks>
public interface IBundleSource
{
    /// <summary>The log's origin line.</summary>
    public string Origin { get; }

    /// <summary>The entries at positions [<paramref name="fromPosition"/>, <paramref name="toPosition"/>), in position order.</summary>
    public IAsyncEnumerable<BundleSourceEntry> ReadLogAsync(long fromPosition, long toPosition, CancellationToken ct);

    /// <summary>The entries of <paramref name="stream"/> at positions below <paramref name="beforePosition"/>, in position order (none for an unknown stream).</summary>
    public IAsyncEnumerable<BundleSourceEntry> ReadStreamAsync(string stream, long beforePosition, CancellationToken ct);

    /// <summary>The signed checkpoints with <paramref name="fromSize"/> ≤ size ≤ <paramref name="toSize"/>, in size order.</summary>
    public IAsyncEnumerable<BundleSourceCheckpoint> ReadCheckpointsAsync(long fromSize, long toSize, CancellationToken ct);

    /// <summary>The signed checkpoint with the largest size ≤ <paramref name="maxSize"/>, or null.</summary>
    public Task<BundleSourceCheckpoint?> FindCheckpointAsync(long maxSize, CancellationToken ct);

    /// <summary>The inclusion proof of leaf <paramref name="index"/> in the tree of <paramref name="size"/> leaves.</summary>
    public Task<IReadOnlyList<byte[]>> GetInclusionProofAsync(long index, long size, CancellationToken ct);

    /// <summary>The consistency proof between tree sizes 1 ≤ <paramref name="size1"/> ≤ <paramref name="size2"/>.</summary>
    public Task<IReadOnlyList<byte[]>> GetConsistencyProofAsync(long size1, long size2, CancellationToken ct);

    /// <summary>
    /// The text of the execution attestation whose digest (docs/FORMAT.md §10.1) is <paramref name="digest"/>, as the ledger
    /// kept it when it recorded a <c>federation.parent-attested.v1</c> naming it; null when it was not kept.
    /// </summary>
    public Task<string?> FindAttestationAsync(string digest, CancellationToken ct) => Task.FromResult<string?>(null);
}
