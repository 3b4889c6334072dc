using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Store.Engine;

namespace Ledger.Store;

internal sealed partial class EventStore
{
    private const int UpgradePage = 5000;

    /// <summary>
    /// Once, for a log written before the execution record existed (schema version 2): folds every execution
    /// stream into its record, leaves a pending cascade for every denial and halt (the cascade job finishes those
    /// whose descendants are still open, and drops the others), and sets the last recordedAt, all in the write
    /// transaction that holds the log's lock, so that another node starting at once waits and then finds it done.
    /// This is the only full read of the log the store ever makes; from then on the record is kept with the entries.
    /// </summary>
    private async Task UpgradeAsync(IWriteSession session, CancellationToken ct)
    {
        var records = new Dictionary<string, ExecutionRecord>(StringComparer.Ordinal);
        ExecutionRecord? Find(string execution) => records.GetValueOrDefault(execution);
        var cascades = new List<PendingCascade>();
        long lastRecordedAt = 0;
        for (long from = 0; from < session.Head.Size; from += UpgradePage)
        {
            await foreach (var stored in _engine.ReadLogAsync(from, UpgradePage, ct).ConfigureAwait(false))
            {
                var entry = LedgerEntry.ParseTrusted(stored.Entry);
                lastRecordedAt = Math.Max(lastRecordedAt, entry.RecordedAt.UtcTicks);
                if (!ExecutionId.TryFromStreamName(entry.Stream, out var id)
                    || !ExecutionEventCodec.TryParse(entry.Type, entry.Data, out var @event, out _))
                {
                    continue;
                }

                records.TryGetValue(id.Value, out var before);
                var state = Execution.Evolve(before?.State ?? ExecutionState.Initial(id), @event, entry.RecordedAt, entry.Domain);
                var after = RecordFold.Next(Origin, before, state, entry.StreamVersion, stored.Position, stored.Position, stored.LeafHash, Find);
                records[id.Value] = after;
                if (RecordFold.LeavesCascade(before, after, Find))
                {
                    cascades.Add(new PendingCascade(id, stored.Position));
                }
            }
        }

        var head = session.Head with { LastRecordedAt = Math.Max(lastRecordedAt, 1) };
        await session.WriteAsync([], [], [.. records.Values], cascades, head, _options.TimeProvider.GetUtcNow(), ct).ConfigureAwait(false);
        await session.CommitAsync(ct).ConfigureAwait(false);
    }
}
