using System.Text.Json;
using Ledger.Application.Hosting;
using Ledger.Application.Registry;
using Ledger.Domain.Log;
using Ledger.Store;

namespace Ledger.Application.Executions;

/// <summary>Appends what the ledger says on its own in its registry streams (<c>$ledger</c>, <c>$emitters</c>, <c>$tokens</c>).</summary>
public sealed class LedgerWriter(LedgerNode node, LedgerRegistry registry, LedgerClock clock)
{
    /// <summary>The ledger's clock, at the microsecond precision of <see cref="LedgerEntry.RecordedAt"/>.</summary>
    public DateTimeOffset Now() => clock.Now();

    /// <summary>Appends one ledger event; the event id makes retries idempotent.</summary>
    public async Task<AppendResult> AppendAsync(
        string stream, long expectedVersion, string eventId, string type, string domain, JsonElement data, DateTimeOffset recordedAt, CancellationToken ct)
    {
        if (Ledger.Domain.Executions.ExecutionId.TryFromStreamName(stream, out _))
        {
            throw new ArgumentException("Execution streams are written through ExecutionCommands and the jobs, which decide under the write lock.", nameof(stream));
        }

        var statement = new EmitterStatement(stream, eventId, type, domain, LedgerNode.LedgerEmitter, null, data, null);
        var result = await node.Store.AppendAsync(new AppendRequest(stream, expectedVersion, recordedAt, [new ProposedEvent(statement, null)]), ct)
            .ConfigureAwait(false);
        if (stream.StartsWith('$'))
        {
            registry.Invalidate();
        }

        return result;
    }
}
