using Ledger.Application.Executions;
using Ledger.Application.Hosting;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Store;
using Microsoft.Extensions.Logging;

namespace Ledger.Application.Jobs;

/// <summary>
/// Phase 7 (docs/FORMAT.md §8): once every execution of a lineage tree has ended and a signed checkpoint covers all
/// their entries, the ledger appends <c>execution.proof-persisted.v1</c> to each of them, carrying the checkpoint
/// and the tree's lineage digest. The trees come from the execution record's lineage edges, the digest from the
/// members' entries as the log holds them; each proof is decided again under the write lock.
/// </summary>
public sealed partial class ProofJob(LedgerNode node, ILogger<ProofJob> log) : ILedgerJob
{
    /// <inheritdoc />
    public string Name => "proof";

    /// <inheritdoc />
    public TimeSpan Interval => node.Options.ProofInterval;

    /// <inheritdoc />
    public JobSignal Signal { get; } = new();

    /// <summary>A proof is an anchor, not a gate: it waits for its interval.</summary>
    public bool TickAtStart => false;

    /// <summary>Proves what can be proven now; returns how many proofs it appended.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var checkpoint = await node.Store.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
        if (checkpoint is null)
        {
            return 0;
        }

        var appended = 0;
        foreach (var root in await node.Store.ListProvableRootsAsync(checkpoint.Size, node.Options.ProofTreesPerTick, ct).ConfigureAwait(false))
        {
            appended += await ProveTreeAsync(root, checkpoint, ct).ConfigureAwait(false);
        }

        return appended;
    }

    private async Task<int> ProveTreeAsync(ExecutionId root, StoredCheckpoint checkpoint, CancellationToken ct)
    {
        // The record's lineage edges name the members; the digest and positions come from their entries, through
        // the one definition of a lineage tree (docs/FORMAT.md §8.1) that the verifier uses too.
        var members = await node.Store.ListTreeAsync(root, ct).ConfigureAwait(false);
        if (members.Count == 0 || members.Any(m => !m.State.IsTerminal))
        {
            return 0;
        }

        var entries = new List<LedgerEntry>();
        foreach (var member in members)
        {
            entries.AddRange(await ReadStreamAsync(member.Id, ct).ConfigureAwait(false));
        }

        var tree = LineageTrees.FromEntries(node.Origin, entries.OrderBy(e => e.Position)).FirstOrDefault(t => t.Root == root);
        if (tree is null || !tree.IsEnded || tree.LastPosition >= checkpoint.Size)
        {
            return 0; // Not covered by the checkpoint yet (or the log disagrees with the record): a later tick looks again.
        }

        var appended = 0;
        foreach (var member in members.Where(m => !m.State.IsProven && tree.Contains(m.Id)))
        {
            var proof = new ProofPersisted(checkpoint.Size, Convert.ToBase64String(checkpoint.Root), tree.PositionsOf(member.Id), tree.Digest);
            if (await AppendProofAsync(member.Id, proof, ct).ConfigureAwait(false))
            {
                appended++;
            }
        }

        return appended;
    }

    private async Task<List<LedgerEntry>> ReadStreamAsync(ExecutionId id, CancellationToken ct)
    {
        var entries = new List<LedgerEntry>();
        while (true)
        {
            var page = await node.Store.ReadStreamAsync(id.StreamName, entries.Count + 1, ReadDirection.Forward, 1000, ct).ConfigureAwait(false);
            entries.AddRange(page);
            if (page.Count < 1000)
            {
                return entries;
            }
        }
    }

    private async Task<bool> AppendProofAsync(ExecutionId id, ProofPersisted proof, CancellationToken ct)
    {
        var eventId = LedgerEvents.ProofId(id);
        var result = await node.Store.AppendAsync(
            new AppendRequest(id.StreamName, AppendRequest.AnyVersion, default, [])
            {
                Decide = view =>
                {
                    var domain = LedgerEvents.DomainOf(view.State);
                    var candidate = LedgerEvents.Event(id, eventId, proof, domain);
                    var submission = Submission.For(proof, eventId, candidate.Proposed.Statement.Digest(), LedgerEvents.Emitter, domain) with { ByLedger = true };
                    return Execution.Decide(view.State, submission, new DecisionContext(view.RecordedAt, Domain.Parameters.LedgerParameters.Default)) is Decision.Accepted
                        ? new ExecutionVerdict.Append([candidate])
                        : new ExecutionVerdict.Decline("already proven, or not ended");
                },
            },
            ct).ConfigureAwait(false);
        if (result is AppendResult.Appended)
        {
            LogProven(log, id.Value, proof.CheckpointSize);
            return true;
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Persisted the proof of {Execution} at checkpoint size {Size}")]
    private static partial void LogProven(ILogger logger, string execution, long size);
}
