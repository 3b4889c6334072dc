using System.Collections.Concurrent;
using System.Globalization;
using Ledger.Application.Executions;
using Ledger.Application.Federation;
using Ledger.Application.Hosting;
using Ledger.Domain.Events;
using Ledger.Domain.Federation;
using Ledger.Domain.Notes;
using Ledger.Domain.Witnessing;
using Ledger.Store;
using Ledger.Store.Witnessing;

namespace Ledger.Application.Witnessing;

/// <summary>
/// The ledger as a c2sp.org/tlog-witness witness: checks <c>add-checkpoint</c> requests for the configured logs,
/// cosigns consistent checkpoints with the witness key, keeps the latest cosigned checkpoint per origin durably, and
/// records every cosigning in <c>$witness</c> and every proven split view in <c>$federation</c>.
/// </summary>
/// <remarks>
/// <para>Per origin, requests of this process are serialized; across nodes the store's compare-and-swap decides, so
/// of two requests checked against the same held checkpoint only one moves it (the other answers 409). The state is
/// moved before the record is appended and the cosignature returned; a record missing after a crash is appended by
/// the next request for that origin, before anything else.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class WitnessService(LedgerNode node, LedgerWriter writer, SplitViewRecords splitViews, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>The witness key's vkey.</summary>
    public string VerifierKey => node.WitnessKey.Verifier.VerifierKey;

    /// <summary>Handles one <c>add-checkpoint</c> request body.</summary>
    public async Task<WitnessOutcome> AddCheckpointAsync(string body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        AddCheckpointRequest request;
        try
        {
            request = AddCheckpointRequest.Parse(body);
        }
        catch (FormatException e)
        {
            return new WitnessOutcome.Malformed(e.Message);
        }

        var origin = request.Checkpoint.Origin;
        if (!node.WitnessedLogs.TryGetKeys(origin, out var keys))
        {
            return new WitnessOutcome.UnknownLog(origin);
        }

        var check = keys.Verify(request.Note);
        if (check is not NoteCheck.Verified verified)
        {
            return new WitnessOutcome.NotSignedByLog(origin, check switch
            {
                NoteCheck.InvalidSignature bad => $"The signature of trusted key '{bad.KeyName}' ({bad.KeyId.ToString("x8", CultureInfo.InvariantCulture)}) does not verify.",
                _ => $"No signature by a key trusted for '{origin}'.",
            });
        }

        var gate = _gates.GetOrAdd(origin, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await DecideAsync(request, verified, ct).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<WitnessOutcome> DecideAsync(AddCheckpointRequest request, NoteCheck.Verified verified, CancellationToken ct)
    {
        var origin = request.Checkpoint.Origin;
        var held = await node.Store.GetWitnessedAsync(origin, ct).ConfigureAwait(false);
        if (held is not null && held.LoggedSize < held.Size)
        {
            await RecordCosignedAsync(held, ct).ConfigureAwait(false);
        }

        var verdict = WitnessRules.Check(request, held is null ? null : new WitnessedHead(held.Size, held.Root, held.Note));
        if (verdict.SplitView is { } split)
        {
            await RecordSplitViewAsync(split, ct).ConfigureAwait(false);
        }

        if (verdict is not WitnessVerdict.Accept)
        {
            return new WitnessOutcome.Refused(verdict, verdict.SplitView is not null);
        }

        var now = time.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        if (timestamp < 1)
        {
            throw new InvalidOperationException("The clock is at or before the POSIX epoch; a cosignature's timestamp must not be zero.");
        }

        // What the witness keeps and records: the checkpoint with the log signatures it verified and its cosignature.
        var logSignatures = string.Concat(verified.VerifiedSignatures.Select(s => s.Line + "\n"));
        var cosigned = SignedNote.Parse(request.Note.Text + "\n" + logSignatures).AddSignatures(node.WitnessKey.Cosigner(timestamp));
        var cosignature = cosigned.Signatures[^1];
        var checkpoint = request.Checkpoint;
        var root = checkpoint.RootHash.ToArray();
        var moved = await node.Store.TryAdvanceWitnessedAsync(
            origin, held?.Size ?? 0, held?.Root, checkpoint.Size, root, cosigned.Format(), now, ct).ConfigureAwait(false);
        if (!moved)
        {
            // Another node (or request) moved the state since it was read: answer from the state it left.
            var current = await node.Store.GetWitnessedAsync(origin, ct).ConfigureAwait(false);
            return new WitnessOutcome.Refused(new WitnessVerdict.OldSizeMismatch(request.OldSize, current?.Size ?? 0), SplitViewRecorded: false);
        }

        if (held is null || held.LoggedSize < checkpoint.Size)
        {
            await RecordCosignedAsync(
                new WitnessedLog(origin, checkpoint.Size, root, cosigned.Format(), now, held?.LoggedSize ?? -1, held?.SplitViewAt), ct).ConfigureAwait(false);
        }

        return new WitnessOutcome.Cosigned(cosignature.Line + "\n");
    }

    /// <summary>Appends <c>witness.checkpoint-cosigned.v1</c> for the held state (once per size) and marks it logged.</summary>
    private async Task RecordCosignedAsync(WitnessedLog state, CancellationToken ct)
    {
        var note = SignedNote.Parse(state.Note);
        var cosignedAt = note.Signatures
            .Where(s => s.Name == node.WitnessKey.Name && s.KeyId == node.WitnessKey.Verifier.KeyId)
            .Select(s => CosignatureV1.TryGetTimestamp(s, out var t) ? t : 0)
            .FirstOrDefault(state.CosignedAt.ToUnixTimeSeconds());
        var @event = new CheckpointCosigned(state.Origin, state.Size, Convert.ToBase64String(state.Root), cosignedAt, state.Note);
        var result = await writer.AppendAsync(
            WitnessStreams.Witness, AppendRequest.AnyVersion, WitnessStreams.CosignedId(state.Origin, state.Size), WireNames.Of<CheckpointCosigned>(),
            WitnessStreams.Witness, WitnessEventCodec.ToData(@event), writer.Now(), ct).ConfigureAwait(false);
        // A conflict on the id means an earlier attempt recorded this size (with another cosignature time) but did not mark it.
        if (result is not (AppendResult.Appended or AppendResult.Duplicate or AppendResult.EventIdConflict))
        {
            throw new InvalidOperationException($"Recording the cosigning of {state.Origin} at size {state.Size} was not appended: {result.Code}.");
        }

        await node.Store.MarkWitnessedLoggedAsync(state.Origin, state.Size, ct).ConfigureAwait(false);
    }

    /// <summary>Appends <c>federation.split-view-detected.v1</c> (once per conflicting note), then flags the origin untrusted.</summary>
    /// <remarks>
    /// Evidence first, as for peers (<see cref="SplitViewRecords.RecordPeerAsync"/>): the refusal comes from the verdict,
    /// not from the flag, so the flag's only work is to say what the record proves. A process killed between the two
    /// leaves the record, and the flag is set from it when a node starts (<see cref="SplitViewRecords.FlagRecordedAsync"/>)
    /// or when the log shows the split again; the other order could leave a flag with no evidence behind it.
    /// </remarks>
    private async Task RecordSplitViewAsync(SplitViewDetected split, CancellationToken ct)
    {
        await splitViews.AppendAsync(split, ct).ConfigureAwait(false);
        await node.Store.MarkSplitViewAsync(split.Origin, time.GetUtcNow(), ct).ConfigureAwait(false);
    }
}
