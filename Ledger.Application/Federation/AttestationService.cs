using System.Diagnostics;
using Ledger.Application.Executions;
using Ledger.Application.Hosting;
using Ledger.Application.Jobs;
using Ledger.Application.Witnessing;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;
using Ledger.Domain.Publications;
using Ledger.Store;

namespace Ledger.Application.Federation;

/// <summary>
/// Serves execution attestations (DESIGN §8.2, docs/FORMAT.md §10): the stream's entries below the newest checkpoint
/// that meets this ledger's witness policy, each with its inclusion proof, that checkpoint, and the ledger's signed
/// statement of what they fold to. Read-only: the statement is made from the log, never from a read model.
/// </summary>
public sealed class AttestationService(LedgerNode node, WitnessedCheckpoints checkpoints, CheckpointJob signer, LedgerClock clock)
{
    private const int ReadBatch = 1000;

    // How long an attestation waits for the witnesses to cosign the checkpoint it needs: one witness round trip (at most
    // Ledger:WitnessTimeout), kept below the default Ledger:PeerTimeout of the peer that is asking.
    private static readonly TimeSpan MaxCosignWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CosignPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>The attestation of <paramref name="execution"/>, with a consistency proof from <paramref name="from"/> when
    /// that is a smaller non-empty tree size.</summary>
    public async Task<AttestationAnswer> CreateAsync(ExecutionId execution, long? from, CancellationToken ct)
    {
        var (stream, problem) = await StreamUnderCheckpointAsync(execution.StreamName, $"execution '{execution}'", ct).ConfigureAwait(false);
        if (stream is null)
        {
            return problem!;
        }

        var state = ExecutionState.Initial(execution);
        foreach (var entry in stream.Stream)
        {
            if (ExecutionEventCodec.TryParse(entry.Type, entry.Data, out var @event, out _))
            {
                state = Execution.Evolve(state, @event, entry.RecordedAt, entry.Domain);
            }
        }

        var statement = new AttestationStatement(
            node.Origin, execution, stream.Checkpoint.Size, stream.Checkpoint.Root, stream.Entries.Count, stream.LastLeaf, state.Status, clock.Now());
        var (consistencyFrom, consistency) = await ConsistencyAsync(from, stream.Checkpoint.Size, ct).ConfigureAwait(false);
        var attestation = new ExecutionAttestation(
            SignedNote.Sign(statement.ToText(), node.Signer), SignedNote.Parse(stream.Checkpoint.SignedNote), stream.Entries, consistencyFrom, consistency);
        return new AttestationAnswer.Attested(attestation.Format());
    }

    /// <summary>The attestation of this ledger's <c>$governance</c> stream (FORMAT §10.6), with a consistency proof from
    /// <paramref name="from"/> when that is a smaller non-empty tree size.</summary>
    public async Task<AttestationAnswer> CreateGovernanceAsync(long? from, CancellationToken ct)
    {
        var (stream, problem) = await StreamUnderCheckpointAsync(GovernanceBook.StreamName, "the governance stream", ct).ConfigureAwait(false);
        if (stream is null)
        {
            return problem!;
        }

        var statement = new GovernanceStatement(node.Origin, stream.Checkpoint.Size, stream.Checkpoint.Root, stream.Entries.Count, stream.LastLeaf, clock.Now());
        var (consistencyFrom, consistency) = await ConsistencyAsync(from, stream.Checkpoint.Size, ct).ConfigureAwait(false);
        var attestation = new GovernanceAttestation(
            SignedNote.Sign(statement.ToText(), node.Signer), SignedNote.Parse(stream.Checkpoint.SignedNote), stream.Entries, consistencyFrom, consistency);
        return new AttestationAnswer.Attested(attestation.Format());
    }

    /// <summary>A stream's entries below the newest checkpoint meeting the policy that covers it, with their inclusion
    /// proofs; or the answer saying why there are none.</summary>
    private async Task<(AttestedStream? Stream, AttestationAnswer? Problem)> StreamUnderCheckpointAsync(string streamName, string what, CancellationToken ct)
    {
        var stream = new List<LedgerEntry>();
        while (true)
        {
            var page = await node.Store.ReadStreamAsync(streamName, stream.Count + 1, ReadDirection.Forward, ReadBatch, ct).ConfigureAwait(false);
            stream.AddRange(page);
            if (page.Count < ReadBatch)
            {
                break;
            }
        }

        if (stream.Count == 0)
        {
            return (null, new AttestationAnswer.NotFound(char.ToUpperInvariant(what[0]) + what[1..] + " has no events."));
        }

        var latest = await node.Store.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
        if (latest is null || latest.Size <= stream[^1].Position)
        {
            // A checkpoint covering the whole stream now, rather than at the next tick (a peer is deciding on it).
            await signer.SignAsync(force: false, ct).ConfigureAwait(false);
        }

        var checkpoint = await CoveringAsync(stream[0].Position, stream[^1].Position, ct).ConfigureAwait(false);
        if (checkpoint is null)
        {
            return (null, new AttestationAnswer.Unavailable(
                $"No checkpoint that meets this ledger's witness policy covers {what} yet; retry after the witnesses cosigned."));
        }

        var covered = stream.TakeWhile(e => e.Position < checkpoint.Size).ToList();
        var entries = new List<AttestedEntry>(covered.Count);
        byte[]? lastLeaf = null;
        foreach (var entry in covered)
        {
            var bytes = entry.ToCanonicalBytes();
            var proof = await node.Store.GetInclusionProofAsync(entry.Position, checkpoint.Size, ct).ConfigureAwait(false);
            entries.Add(new AttestedEntry(entry.Position, bytes, proof));
            lastLeaf = MerkleHash.HashLeaf(bytes);
        }

        return (new AttestedStream(covered, entries, checkpoint, lastLeaf!), null);
    }

    private async Task<(long? From, IReadOnlyList<byte[]>? Proof)> ConsistencyAsync(long? from, long size, CancellationToken ct) =>
        from is { } f && f > 0 && f < size ? (f, await node.Store.GetConsistencyProofAsync(f, size, ct).ConfigureAwait(false)) : (null, null);

    private sealed record AttestedStream(IReadOnlyList<LedgerEntry> Stream, IReadOnlyList<AttestedEntry> Entries, StoredCheckpoint Checkpoint, byte[] LastLeaf);

    /// <summary>
    /// The newest checkpoint meeting the witness policy that covers <paramref name="first"/>. When the policy needs
    /// cosignatures and none covers <paramref name="last"/> yet, the checkpoint just signed is with the witness client
    /// (woken by the signing): this waits for its cosignatures, one witness round trip at most, so that the peer deciding
    /// on the execution (a child's intent declared right after this parent started) is shown the execution as it stands,
    /// not an earlier state or nothing, either of which fails the child closed for good. After the wait, the newest
    /// checkpoint that meets the policy is used as before, or none.
    /// </summary>
    private async Task<StoredCheckpoint?> CoveringAsync(long first, long last, CancellationToken ct)
    {
        // Elapsed real time: the wait is for witnesses answering over the network, whatever the ledger's clock says.
        var wait = node.Options.WitnessTimeout < MaxCosignWait ? node.Options.WitnessTimeout : MaxCosignWait;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var checkpoint = await checkpoints.ForReceiptAsync(first, ct).ConfigureAwait(false);
            if ((checkpoint is not null && checkpoint.Size > last) || !node.Witnesses.RequiresQuorum || Stopwatch.GetElapsedTime(started) >= wait)
            {
                return checkpoint;
            }

            await Task.Delay(CosignPoll, ct).ConfigureAwait(false);
        }
    }
}

/// <summary>What <see cref="AttestationService.CreateAsync"/> answers: a closed set.</summary>
public abstract record AttestationAnswer
{
    private AttestationAnswer()
    {
    }

    /// <summary>The attestation's text (docs/FORMAT.md §10.1).</summary>
    public sealed record Attested(string Text) : AttestationAnswer;

    /// <summary>The execution (or the governance stream) has no events here.</summary>
    public sealed record NotFound(string Detail) : AttestationAnswer;

    /// <summary>No checkpoint meeting the policy covers it yet.</summary>
    public sealed record Unavailable(string Detail) : AttestationAnswer;
}
