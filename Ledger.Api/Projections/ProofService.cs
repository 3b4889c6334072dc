using Ledger.Api.Append;
using Ledger.Api.Executions;
using Ledger.Api.Hosting;
using Ledger.Api.Registry;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Projections.Engine;
using Ledger.Projections.Reading;
using Ledger.Store;

namespace Ledger.Api.Projections;

/// <summary>
/// Phase 7: once every execution of a lineage tree has ended and a signed checkpoint covers all their
/// entries, the ledger appends <c>execution.proof-persisted.v1</c> to each of them, carrying the checkpoint
/// and the tree's lineage digest (docs/FORMAT.md §8). Cluster-safe: one node runs each tick.
/// </summary>
public sealed partial class ProofService(
    LedgerNode node, ProjectionEngine engine, ExecutionStreams streams, LedgerRegistry registry, LedgerWriter writer,
    ProjectionHostOptions options, ILogger<ProofService> log)
{
    private const string ProofType = "execution.proof-persisted.v1";
    private const int ReadBatch = 1_000;

    /// <summary>Proves what can be proven now; returns how many proofs it appended.</summary>
    public async Task<int> ProveAsync(CancellationToken ct)
    {
        var appended = 0;
        await engine.TryRunExclusiveAsync("proof", async token => appended = await ProveAllAsync(token).ConfigureAwait(false), ct).ConfigureAwait(false);
        return appended;
    }

    private async Task<int> ProveAllAsync(CancellationToken ct)
    {
        var checkpoint = await node.Store.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
        if (checkpoint is null)
        {
            return 0;
        }

        var appended = 0;
        foreach (var root in await engine.ReadModels.ProvableLineagesAsync(checkpoint.Size, options.ProofTreesPerTick, ct).ConfigureAwait(false))
        {
            // The read model names the tree's members; the digest and positions come from their entries in the
            // store, through the one definition of a lineage tree (docs/FORMAT.md §8.1).
            var tree = await engine.ReadModels.GetLineageAsync(root, proofs: false, ct).ConfigureAwait(false);
            if (tree is null)
            {
                continue;
            }

            var members = Flatten(tree.Root).ToList();
            var entries = new List<LedgerEntry>();
            foreach (var member in members)
            {
                entries.AddRange(await ReadStreamAsync(member.Execution.ExecutionId, ct).ConfigureAwait(false));
            }

            var computed = LineageTrees.FromEntries(node.Origin, entries).FirstOrDefault(t => t.Root.Value == root);
            if (computed is null || !computed.IsEnded || computed.LastPosition >= checkpoint.Size)
            {
                continue;
            }

            foreach (var member in members.Where(m => computed.Contains(ExecutionId.Parse(m.Execution.ExecutionId))).OrderBy(n => n.Execution.FirstPosition))
            {
                if (member.Execution.Proven)
                {
                    continue;
                }

                if (await ProveAsync(member, checkpoint, computed, ct).ConfigureAwait(false))
                {
                    appended++;
                }
            }
        }

        return appended;
    }

    private async Task<bool> ProveAsync(LineageTreeNode member, StoredCheckpoint checkpoint, DigestedLineageTree tree, CancellationToken ct)
    {
        var id = ExecutionId.Parse(member.Execution.ExecutionId);
        var (state, version) = await streams.LoadAsync(id, ct).ConfigureAwait(false);
        var positions = tree.PositionsOf(id);
        if (!state.IsTerminal || state.IsProven || version != positions.Count)
        {
            return false; // The stream moved since it was read: a later tick proves it.
        }

        var proof = new ProofPersisted(checkpoint.Size, Convert.ToBase64String(checkpoint.Root), positions, tree.Digest);
        var data = ExecutionEventCodec.ToData(proof);
        var eventId = "ledger-proof-" + id.Value;
        var domain = state.OriginDomain ?? member.Events[0].Domain;
        var statement = new EmitterStatement(id.StreamName, eventId, ProofType, domain, LedgerNode.LedgerEmitter, null, data, null);
        var now = writer.Now();
        var parameters = (await registry.GetAsync(ct).ConfigureAwait(false)).Parameters;
        var submission = Submission.For(proof, eventId, statement.Digest(), LedgerNode.LedgerEmitter, domain) with { ByLedger = true };
        if (Execution.Decide(state, submission, new DecisionContext(now, parameters)) is not Decision.Accepted)
        {
            return false;
        }

        var result = await writer.AppendAsync(id.StreamName, version, eventId, ProofType, domain, data, now, ct).ConfigureAwait(false);
        if (result is AppendResult.Appended)
        {
            LogProven(log, id.Value, checkpoint.Size);
            return true;
        }

        LogNotAppended(log, id.Value, result.Code);
        return false;
    }

    private async Task<List<LedgerEntry>> ReadStreamAsync(string executionId, CancellationToken ct)
    {
        var stream = ExecutionId.Parse(executionId).StreamName;
        var entries = new List<LedgerEntry>();
        while (true)
        {
            var batch = await node.Store.ReadStreamAsync(stream, entries.Count + 1, ReadDirection.Forward, ReadBatch, ct).ConfigureAwait(false);
            entries.AddRange(batch);
            if (batch.Count < ReadBatch)
            {
                return entries;
            }
        }
    }

    private static IEnumerable<LineageTreeNode> Flatten(LineageTreeNode node) => node.Children.SelectMany(Flatten).Prepend(node);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Persisted the proof of {Execution} at checkpoint size {Size}")]
    private static partial void LogProven(ILogger logger, string execution, long size);

    [LoggerMessage(Level = LogLevel.Information, Message = "The proof of {Execution} was not appended ({Outcome}); a later tick tries again")]
    private static partial void LogNotAppended(ILogger logger, string execution, string outcome);
}
