using Ledger.Api.Hosting;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Store;

namespace Ledger.Api.Executions;

/// <summary>Reads an execution's stream and folds it into its <see cref="ExecutionState"/>.</summary>
public sealed class ExecutionStreams(LedgerNode node)
{
    private const int PageSize = 1000;

    /// <summary>The execution's state and its stream version (0 when the stream does not exist).</summary>
    public async Task<(ExecutionState State, long Version)> LoadAsync(ExecutionId id, CancellationToken ct)
    {
        var state = ExecutionState.Initial(id);
        long version = 0;
        while (true)
        {
            var page = await node.Store.ReadStreamAsync(id.StreamName, version + 1, ReadDirection.Forward, PageSize, ct).ConfigureAwait(false);
            foreach (var entry in page)
            {
                state = Execution.Evolve(state, Parse(entry), entry.RecordedAt, entry.Domain);
                version = entry.StreamVersion;
            }

            if (page.Count < PageSize)
            {
                return (state, version);
            }
        }
    }

    private static IExecutionEvent Parse(LedgerEntry entry) =>
        ExecutionEventCodec.TryParse(entry.Type, entry.Data, out var e, out var errors)
            ? e
            : throw new StoreCorruptedException($"Entry {entry.Position} in {entry.Stream} is not an execution event: {string.Join("; ", errors)}");
}
