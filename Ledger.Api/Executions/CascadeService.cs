using System.Globalization;
using Ledger.Api.Append;
using Ledger.Domain.Executions;
using Ledger.Store;

namespace Ledger.Api.Executions;

/// <summary>
/// When an execution is denied or halted, the ledger denies or halts every descendant that is still open
/// (reason <c>parent-halted</c>), each in its own append, deepest last.
/// </summary>
public sealed partial class CascadeService(ExecutionIndex index, ExecutionStreams streams, LedgerWriter writer, ILogger<CascadeService> log)
{
    private const int MaxAttempts = 3;

    /// <summary>Appends the cascade for <paramref name="ended"/>; returns the entries the ledger appended.</summary>
    public async Task<int> CascadeAsync(ExecutionId ended, CancellationToken ct)
    {
        var appended = 0;
        foreach (var descendant in await index.DescendantsAsync(ended, ct).ConfigureAwait(false))
        {
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                var (state, version) = await streams.LoadAsync(descendant, ct).ConfigureAwait(false);
                var decision = Lineage.Cascade([state], ended);
                if (decision.Count == 0)
                {
                    break;
                }

                var append = decision[0];
                var result = await writer.AppendAsync(
                    append.Stream,
                    version,
                    string.Create(CultureInfo.InvariantCulture, $"ledger-cascade-{ended.Value}-{descendant.Value}"),
                    ExecutionEventCodec.TypeOf(append.Event),
                    state.OriginDomain ?? "ledger",
                    ExecutionEventCodec.ToData(append.Event),
                    writer.Now(),
                    ct).ConfigureAwait(false);
                if (result is AppendResult.Appended)
                {
                    appended++;
                    break;
                }

                if (result is not AppendResult.VersionConflict)
                {
                    break;
                }

                LogRetry(log, descendant.Value, attempt);
            }
        }

        return appended;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cascade to {Execution} raced with another append (attempt {Attempt}); deciding again")]
    private static partial void LogRetry(ILogger logger, string execution, int attempt);
}
