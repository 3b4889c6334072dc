using Ledger.Domain.Publications;
using Ledger.Store;

namespace Ledger.Application.Publications;

/// <summary>
/// Reads the <c>$governance</c> stream from the log and folds it (DESIGN §8.2). Never cached: a decision that depends
/// on it reads it afresh and appends only if the stream is still at the version read (a guard checked in the append's
/// transaction), so the decision uses the stream as committed at the append.
/// </summary>
public static class GovernanceLog
{
    private const int Batch = 1000;

    /// <summary>The stream folded to its end, and its version (0 when it has no events).</summary>
    /// <exception cref="StoreCorruptedException">An entry of the stream is not a governance event.</exception>
    public static async Task<(GovernanceBook Book, long Version)> ReadAsync(IEventStore store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var book = GovernanceBook.Empty;
        var version = 0L;
        while (true)
        {
            var batch = await store.ReadStreamAsync(GovernanceBook.StreamName, version + 1, ReadDirection.Forward, Batch, ct).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return (book, version);
            }

            foreach (var entry in batch)
            {
                if (!GovernanceEventCodec.TryParse(entry.Type, entry.Data, out var e, out var errors))
                {
                    throw new StoreCorruptedException($"Entry {entry.Position} of {entry.Stream} is not a governance event: {string.Join("; ", errors)}");
                }

                book = GovernanceBook.Evolve(book, e, entry.Position, entry.RecordedAt);
                version = entry.StreamVersion;
            }
        }
    }
}
