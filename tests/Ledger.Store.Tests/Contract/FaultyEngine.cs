using Ledger.Store.Engine;
using Ledger.Store.Tiles;

namespace Ledger.Store.Tests.Contract;

/// <summary>
/// A real engine whose write transactions fail (before commit) whenever they would write an event
/// id starting with <see cref="Poison"/>: how the store behaves when the database refuses a batch.
/// </summary>
internal sealed class FaultyEngine(StoreEngine inner) : StoreEngine
{
    public const string Poison = "poison";

    public override TimeSpan PollInterval => inner.PollInterval;

    public override Task MigrateAsync(string origin, byte[] emptyRoot, DateTimeOffset now, CancellationToken ct) => inner.MigrateAsync(origin, emptyRoot, now, ct);

    public override async Task<IWriteSession> BeginWriteAsync(
        IReadOnlyCollection<string> eventIds, IReadOnlyCollection<string> streams, IReadOnlyCollection<string> executions, CancellationToken ct) =>
        new Session(await inner.BeginWriteAsync(eventIds, streams, executions, ct));

    public override Task<IReadOnlyDictionary<string, ExecutionRecord>> ReadRecordsAsync(IReadOnlyCollection<string> executions, CancellationToken ct) =>
        inner.ReadRecordsAsync(executions, ct);

    public override Task<IReadOnlyList<ExecutionDue>> ListDueAsync(long nowTicks, long intentTtlTicks, long verificationTicks, int limit, CancellationToken ct) =>
        inner.ListDueAsync(nowTicks, intentTtlTicks, verificationTicks, limit, ct);

    public override Task<IReadOnlyList<PendingCascade>> ListCascadesAsync(int limit, CancellationToken ct) => inner.ListCascadesAsync(limit, ct);

    public override Task<IReadOnlyList<ExecutionDescendant>> ListDescendantsAsync(string execution, CancellationToken ct) => inner.ListDescendantsAsync(execution, ct);

    public override Task DeleteCascadeAsync(string execution, long position, CancellationToken ct) => inner.DeleteCascadeAsync(execution, position, ct);

    public override Task<IReadOnlyList<string>> ListProvableRootsAsync(long size, int limit, CancellationToken ct) => inner.ListProvableRootsAsync(size, limit, ct);

    public override Task<IReadOnlyList<ExecutionRecord>> ListTreeAsync(string root, CancellationToken ct) => inner.ListTreeAsync(root, ct);

    public override Task<(IReadOnlyDictionary<string, ExecutionRecord> Records, RemoteParentFollow? Follow)> ReadLineageAsync(string execution, CancellationToken ct) =>
        inner.ReadLineageAsync(execution, ct);

    public override Task<IReadOnlyList<(string Origin, string Id)>> ListRemoteParentsAsync(string afterOrigin, string afterId, int limit, CancellationToken ct) =>
        inner.ListRemoteParentsAsync(afterOrigin, afterId, limit, ct);

    public override Task<IReadOnlyList<string>> ListRemoteChildrenAsync(string origin, string id, CancellationToken ct) => inner.ListRemoteChildrenAsync(origin, id, ct);

    public override Task<IReadOnlyList<(string Id, string ParentId, long Position)>> ListChildrenOfAsync(string origin, long afterPosition, int limit, CancellationToken ct) =>
        inner.ListChildrenOfAsync(origin, afterPosition, limit, ct);

    public override Task<RemoteParentFollow?> ReadRemoteFollowAsync(string origin, string id, CancellationToken ct) => inner.ReadRemoteFollowAsync(origin, id, ct);

    public override Task UpsertRemoteFollowAsync(RemoteParentFollow follow, CancellationToken ct) => inner.UpsertRemoteFollowAsync(follow, ct);

    public override Task<FollowedPeer?> ReadFollowedPeerAsync(string origin, CancellationToken ct) => inner.ReadFollowedPeerAsync(origin, ct);

    public override Task KeepFollowedPeerAsync(string origin, long size, string note, CancellationToken ct) => inner.KeepFollowedPeerAsync(origin, size, note, ct);

    public override Task KeepAttestationAsync(string digest, string text, CancellationToken ct) => inner.KeepAttestationAsync(digest, text, ct);

    public override Task<string?> ReadAttestationAsync(string digest, CancellationToken ct) => inner.ReadAttestationAsync(digest, ct);

    public override Task MarkFollowedPeerSplitAsync(string origin, long atTicks, CancellationToken ct) => inner.MarkFollowedPeerSplitAsync(origin, atTicks, ct);

    public override Task<IAsyncDisposable?> TryLeadAsync(string job, CancellationToken ct) => inner.TryLeadAsync(job, ct);

    public override Task<long> GetTreeSizeAsync(CancellationToken ct) => inner.GetTreeSizeAsync(ct);

    public override Task<IReadOnlyList<Witnessing.WitnessedLog>> ReadWitnessedAsync(string? origin, CancellationToken ct) => inner.ReadWitnessedAsync(origin, ct);

    public override Task<bool> AdvanceWitnessedAsync(
        string origin, long expectedSize, byte[]? expectedRoot, long size, byte[] root, string note, DateTimeOffset cosignedAt, CancellationToken ct) =>
        inner.AdvanceWitnessedAsync(origin, expectedSize, expectedRoot, size, root, note, cosignedAt, ct);

    public override Task MarkWitnessedLoggedAsync(string origin, long size, CancellationToken ct) => inner.MarkWitnessedLoggedAsync(origin, size, ct);

    public override Task MarkSplitViewAsync(string origin, DateTimeOffset at, CancellationToken ct) => inner.MarkSplitViewAsync(origin, at, ct);

    public override Task<bool> InsertCosignatureAsync(long size, string witness, string signatureLine, DateTimeOffset storedAt, CancellationToken ct) =>
        inner.InsertCosignatureAsync(size, witness, signatureLine, storedAt, ct);

    public override Task<IReadOnlyList<Witnessing.StoredCosignature>> ReadCosignaturesAsync(long fromSize, long toSize, CancellationToken ct) =>
        inner.ReadCosignaturesAsync(fromSize, toSize, ct);

    public override Task<IReadOnlyDictionary<string, long>> ReadCosignedSizesAsync(CancellationToken ct) => inner.ReadCosignedSizesAsync(ct);

    public override Task<IReadOnlyDictionary<TileKey, byte[]>> ReadTilesAsync(IReadOnlyCollection<TileKey> keys, CancellationToken ct) => inner.ReadTilesAsync(keys, ct);

    public override Task<IReadOnlyList<byte[]>> ReadStreamAsync(string stream, long fromVersion, ReadDirection direction, int maxCount, CancellationToken ct) =>
        inner.ReadStreamAsync(stream, fromVersion, direction, maxCount, ct);

    public override Task<long> GetStreamVersionAsync(string stream, CancellationToken ct) => inner.GetStreamVersionAsync(stream, ct);

    public override IAsyncEnumerable<StoredEntry> ReadLogAsync(long fromPosition, int limit, CancellationToken ct) => inner.ReadLogAsync(fromPosition, limit, ct);

    public override Task<byte[]?> FindByEventIdAsync(string eventId, CancellationToken ct) => inner.FindByEventIdAsync(eventId, ct);

    public override Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken ct) => inner.GetLatestCheckpointAsync(ct);

    public override Task<StoredCheckpoint?> GetCheckpointAsync(long size, CancellationToken ct) => inner.GetCheckpointAsync(size, ct);

    public override Task<IReadOnlyList<StoredCheckpoint>> ListCheckpointsAsync(long fromSize, long toSize, CancellationToken ct) => inner.ListCheckpointsAsync(fromSize, toSize, ct);

    public override Task EnsureWatchingAsync(CancellationToken ct) => inner.EnsureWatchingAsync(ct);

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class Session(IWriteSession inner) : IWriteSession
    {
        public LogHead Head => inner.Head;

        public AppendLookup Lookup => inner.Lookup;

        public Task<IReadOnlyDictionary<TileKey, byte[]>> ReadTilesAsync(IReadOnlyCollection<TileKey> keys, CancellationToken ct) => inner.ReadTilesAsync(keys, ct);

        public async Task WriteAsync(
            IReadOnlyList<EntryRow> entries, IReadOnlyList<Tile> tiles, IReadOnlyList<ExecutionRecord> records, IReadOnlyList<PendingCascade> cascades,
            LogHead head, DateTimeOffset now, CancellationToken ct)
        {
            await inner.WriteAsync(entries, tiles, records, cascades, head, now, ct);
            if (entries.Any(e => e.EventId.StartsWith(Poison, StringComparison.Ordinal)))
            {
                throw new InvalidOperationException("The database refused the batch.");
            }
        }

        public Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken ct) => inner.GetLatestCheckpointAsync(ct);

        public Task<StoredCheckpoint?> GetCheckpointAsync(long size, CancellationToken ct) => inner.GetCheckpointAsync(size, ct);

        public Task InsertCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken ct) => inner.InsertCheckpointAsync(checkpoint, ct);

        public Task CommitAsync(CancellationToken ct) => inner.CommitAsync(ct);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
