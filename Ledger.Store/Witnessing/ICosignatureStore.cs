namespace Ledger.Store.Witnessing;

/// <summary>
/// The cosignatures witnesses returned for the ledger's own checkpoints (DESIGN §8.1, "as a log"). Part of
/// <see cref="IEventStore"/>: its checkpoint reads return each note with the log's signature first and then the
/// cosignature lines kept for that size, ordered by witness name.
/// </summary>
/// <remarks>
/// <para>The store holds no keys: callers verify a cosignature against the witness's key before adding it. A
/// cosignature is kept once per (size, witness); the first one kept stays.</para>
/// <para>Every member may be called concurrently.</para>
/// </remarks>
public interface ICosignatureStore
{
    /// <summary>Keeps <paramref name="signatureLine"/> with the checkpoint at <paramref name="size"/>, which must be stored.</summary>
    /// <returns>Whether it was added (false: a cosignature of that witness is already kept for that size).</returns>
    /// <exception cref="ArgumentException">No checkpoint of that size is stored, or the line is not a signature line.</exception>
    public Task<bool> AddCosignatureAsync(long size, string witness, string signatureLine, CancellationToken ct = default);

    /// <summary>Cosignatures of checkpoints with <paramref name="fromSize"/> ≤ size ≤ <paramref name="toSize"/>, by size then witness.</summary>
    public Task<IReadOnlyList<StoredCosignature>> ListCosignaturesAsync(long fromSize, long toSize, CancellationToken ct = default);

    /// <summary>Per witness name, the largest checkpoint size it cosigned (absent: it never cosigned one).</summary>
    public Task<IReadOnlyDictionary<string, long>> GetCosignedSizesAsync(CancellationToken ct = default);
}
