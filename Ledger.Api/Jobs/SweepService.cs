using System.Globalization;
using Ledger.Api.Append;
using Ledger.Api.Executions;
using Ledger.Api.Registry;
using Ledger.Domain.Executions;
using Ledger.Store;

namespace Ledger.Api.Jobs;

/// <summary>Silence fails closed: halts executions whose verification is overdue and denies intents not started in time.</summary>
public sealed class SweepService(ExecutionIndex index, ExecutionStreams streams, LedgerRegistry registry, LedgerWriter writer, CascadeService cascade)
{
    /// <summary>Runs one sweep at the ledger's current time; returns how many executions it ended.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var snapshot = await registry.GetAsync(ct).ConfigureAwait(false);
        var ended = 0;
        foreach (var id in await index.OpenAsync(ct).ConfigureAwait(false))
        {
            var (state, version) = await streams.LoadAsync(id, ct).ConfigureAwait(false);
            var now = writer.Now();
            var decisions = SilenceSweep.Decide([state], now, snapshot.Parameters);
            if (decisions.Count == 0)
            {
                continue;
            }

            var append = decisions[0];
            var type = ExecutionEventCodec.TypeOf(append.Event);
            var result = await writer.AppendAsync(
                append.Stream, version, string.Create(CultureInfo.InvariantCulture, $"ledger-sweep-{id.Value}-{version}"), type,
                state.OriginDomain ?? "ledger", ExecutionEventCodec.ToData(append.Event), now, ct).ConfigureAwait(false);
            if (result is AppendResult.Appended)
            {
                ended++;
                await cascade.CascadeAsync(id, ct).ConfigureAwait(false);
            }
        }

        return ended;
    }
}
