namespace Ledger.Store.Witnessing;

/// <summary>
/// The durable state of the ledger's witness (c2sp.org/tlog-witness): per witnessed origin, the latest checkpoint
/// cosigned, whether its cosigning is recorded in the log, and the split-view flag. Part of <see cref="IEventStore"/>.
/// </summary>
/// <remarks>
/// <para>The state only moves by compare-and-swap (<see cref="TryAdvanceWitnessedAsync"/>), one statement on both
/// engines, so that two nodes (or two requests) that both checked a submission against the same held checkpoint
/// cannot both move it: the loser sees <c>false</c> and answers from the new state. The split-view flag is never
/// cleared.</para>
/// <para>Every member may be called concurrently.</para>
/// </remarks>
public interface IWitnessStore
{
    /// <summary>The state held for <paramref name="origin"/>, or null when nothing was ever cosigned for it.</summary>
    public Task<WitnessedLog?> GetWitnessedAsync(string origin, CancellationToken ct = default);

    /// <summary>Every witnessed log with a state, by origin.</summary>
    public Task<IReadOnlyList<WitnessedLog>> ListWitnessedAsync(CancellationToken ct = default);

    /// <summary>
    /// Moves the state of <paramref name="origin"/> from (<paramref name="expectedSize"/>, <paramref name="expectedRoot"/>)
    /// to the new checkpoint, atomically; with <paramref name="expectedRoot"/> null, creates it only if there is none.
    /// </summary>
    /// <returns>Whether this call moved it (false: the state was not the expected one, nothing changed).</returns>
    public Task<bool> TryAdvanceWitnessedAsync(
        string origin, long expectedSize, byte[]? expectedRoot, long size, byte[] root, string note, DateTimeOffset cosignedAt, CancellationToken ct = default);

    /// <summary>Records that the cosigning at <paramref name="size"/> is in the log (raises <see cref="WitnessedLog.LoggedSize"/>, never lowers it).</summary>
    public Task MarkWitnessedLoggedAsync(string origin, long size, CancellationToken ct = default);

    /// <summary>Flags <paramref name="origin"/> as having shown a split view (the first time is kept).</summary>
    public Task MarkSplitViewAsync(string origin, DateTimeOffset at, CancellationToken ct = default);
}
