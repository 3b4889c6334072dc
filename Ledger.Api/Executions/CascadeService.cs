using System.Globalization;
using Ledger.Api.Append;
using Ledger.Domain.Executions;
using Ledger.Store;

namespace Ledger.Api.Executions;

/// <summary>
/// When an execution is denied or halted, the ledger denies or halts every descendant that is still open
/// (reason <c>parent-halted</c>), each in its own append, parents before their children.
/// </summary>
public sealed partial class CascadeService(ExecutionIndex index, ExecutionStreams streams, LedgerWriter writer, ILogger<CascadeService> log)
{
    private const int MaxAttempts = 3;

    /// <summary>Appends the cascade for <paramref name="ended"/>; returns the entries the ledger appended.</summary>
    /// <remarks>
    /// <see cref="Lineage.Cascade"/> sees every descendant at once, so that it can follow the tree below the
    /// children (grandchildren, and children of descendants that had already ended); each end is appended after
    /// its parent's, so a replay finds every halt justified. When a descendant moved meanwhile, the rest of the
    /// cascade is decided again from fresh states.
    /// </remarks>
    public async Task<int> CascadeAsync(ExecutionId ended, CancellationToken ct)
    {
        var descendants = await index.DescendantsAsync(ended, ct).ConfigureAwait(false);
        var appended = 0;
        for (var attempt = 1; attempt <= MaxAttempts && descendants.Count > 0; attempt++)
        {
            var states = new List<ExecutionState>(descendants.Count);
            var versions = new Dictionary<ExecutionId, long>();
            foreach (var descendant in descendants)
            {
                var (state, version) = await streams.LoadAsync(descendant, ct).ConfigureAwait(false);
                states.Add(state);
                versions[descendant] = version;
            }

            var raced = false;
            foreach (var append in Lineage.Cascade(states, ended))
            {
                var state = states.First(s => s.Id == append.ExecutionId);
                var result = await writer.AppendAsync(
                    append.Stream,
                    versions[append.ExecutionId],
                    string.Create(CultureInfo.InvariantCulture, $"ledger-cascade-{ended.Value}-{append.ExecutionId.Value}"),
                    ExecutionEventCodec.TypeOf(append.Event),
                    state.OriginDomain ?? "ledger",
                    ExecutionEventCodec.ToData(append.Event),
                    writer.Now(),
                    ct).ConfigureAwait(false);
                if (result is AppendResult.Appended)
                {
                    appended++;
                }
                else if (result is AppendResult.VersionConflict)
                {
                    // Stop here: a descendant's end must not be appended before its parent's.
                    raced = true;
                    LogRetry(log, append.ExecutionId.Value, attempt);
                    break;
                }
            }

            if (!raced)
            {
                break;
            }
        }

        return appended;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cascade to {Execution} raced with another append (attempt {Attempt}); deciding again")]
    private static partial void LogRetry(ILogger logger, string execution, int attempt);
}
