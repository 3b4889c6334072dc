using System.Text.Json;
using Ledger.Api.Hosting;
using Ledger.Api.Registry;
using Ledger.Domain.Log;
using Ledger.Store;

namespace Ledger.Api.Append;

/// <summary>Appends what the ledger says on its own: refusals, cascades, sweeps, registry and token changes.</summary>
public sealed class LedgerWriter(LedgerNode node, LedgerRegistry registry, TimeProvider time)
{
    /// <summary>The ledger's clock, at the microsecond precision of <see cref="LedgerEntry.RecordedAt"/>.</summary>
    public DateTimeOffset Now()
    {
        var t = time.GetUtcNow();
        return new DateTimeOffset(t.UtcTicks - (t.UtcTicks % 10), TimeSpan.Zero);
    }

    /// <summary>Appends one ledger event; the event id makes retries idempotent.</summary>
    public async Task<AppendResult> AppendAsync(
        string stream, long expectedVersion, string eventId, string type, string domain, JsonElement data, DateTimeOffset recordedAt, CancellationToken ct)
    {
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
