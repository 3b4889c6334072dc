using Ledger.Application.Executions;
using Ledger.Application.Hosting;
using Ledger.Domain.Events;
using Ledger.Domain.Federation;
using Ledger.Domain.Witnessing;
using Ledger.Store;
using Microsoft.Extensions.Logging;

namespace Ledger.Application.Federation;

/// <summary>
/// Keeps the evidence of a split view in <c>$federation</c> (FORMAT §6.6.3), wherever the ledger catches a log showing two
/// views: a witness submission, or a peer's execution or governance attestation. The record is the same in each case.
/// </summary>
public sealed partial class SplitViewRecords(LedgerNode node, LedgerWriter writer, LedgerClock clock, ILogger<SplitViewRecords> log)
{
    /// <summary>
    /// A peer's attestation showed a split view: the evidence is recorded, then the peer is marked untrusted (nothing is
    /// asked of it again), both before any decision that rests on it is appended.
    /// </summary>
    /// <remarks>
    /// Evidence first: a process killed between the two leaves a record and a peer still asked, which shows the same two
    /// views again and is then marked; the other order could leave a peer refused with <c>peer-split-view</c> and no
    /// record for the verifier to justify those ends with.
    /// </remarks>
    /// <param name="origin">The peer.</param>
    /// <param name="split">What the attestation's check found.</param>
    /// <param name="source">Where it was found: <c>execution-attestation</c> or <c>governance-attestation</c>.</param>
    /// <param name="ct">Cancels the wait.</param>
    public async Task RecordPeerAsync(string origin, AttestationCheck.SplitView split, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(split);
        await AppendAsync(new SplitViewDetected(origin, split.Kind, split.HeldNote, split.ConflictingNote, split.Proof, source), ct).ConfigureAwait(false);
        await node.Store.MarkFollowedPeerSplitAsync(origin, clock.Now(), ct).ConfigureAwait(false);
        LogSplitView(log, origin, source);
    }

    /// <summary>
    /// Sets the flags that the recorded split views call for: every origin with a <c>federation.split-view-detected.v1</c>
    /// record in <c>$federation</c> is flagged untrusted, as a witnessed log (a witness submission showed it) or as a
    /// followed peer (an attestation did), at the time of its first record. Flags already set are kept as they are.
    /// </summary>
    /// <remarks>
    /// The record is appended before the flag is set, so a process stopped between the two leaves a record and no flag;
    /// a node runs this when it starts, so that no node serves with a split view recorded and not flagged for longer than
    /// the stopped one took to come back. The log is the fact; the flags are read from it.
    /// </remarks>
    /// <param name="ct">Cancels the reading.</param>
    /// <returns>How many records were read.</returns>
    /// <exception cref="StoreCorruptedException">An entry of <c>$federation</c> is not a federation event.</exception>
    public async Task<int> FlagRecordedAsync(CancellationToken ct)
    {
        var records = 0;
        long version = 0;
        while (true)
        {
            var page = await node.Store.ReadStreamAsync(WitnessStreams.Federation, version + 1, ReadDirection.Forward, 1000, ct).ConfigureAwait(false);
            foreach (var entry in page)
            {
                version = entry.StreamVersion;
                // Only the ledger appends to $federation, and only split views: anything else is a store that contradicts
                // itself, reported as GovernanceLog reports its own stream, rather than a record silently left unflagged.
                if (!FederationEventCodec.TryParse(entry.Type, entry.Data, out var @event, out var errors) || @event is not SplitViewDetected split)
                {
                    throw new StoreCorruptedException(
                        $"Entry {entry.Position} of {entry.Stream} is not a federation event: {string.Join("; ", errors)}");
                }

                records++;
                if (string.Equals(split.Source, WitnessRules.SubmissionSource, StringComparison.Ordinal))
                {
                    await node.Store.MarkSplitViewAsync(split.Origin, entry.RecordedAt, ct).ConfigureAwait(false);
                }
                else
                {
                    await node.Store.MarkFollowedPeerSplitAsync(split.Origin, entry.RecordedAt, ct).ConfigureAwait(false);
                }
            }

            if (page.Count < 1000)
            {
                return records;
            }
        }
    }

    /// <summary>Appends <paramref name="split"/> once per conflicting note: the event id names the origin and that note.</summary>
    /// <exception cref="InvalidOperationException">The store did not append it and had not appended it before.</exception>
    public async Task AppendAsync(SplitViewDetected split, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(split);
        var result = await writer.AppendAsync(
            WitnessStreams.Federation, AppendRequest.AnyVersion, WitnessStreams.SplitViewId(split.Origin, split.ConflictingNote),
            WireNames.Of<SplitViewDetected>(), WitnessStreams.Federation, FederationEventCodec.ToData(split), writer.Now(), ct).ConfigureAwait(false);
        // A conflict on the id: this very note was recorded before, against an earlier held checkpoint.
        if (result is not (AppendResult.Appended or AppendResult.Duplicate or AppendResult.EventIdConflict))
        {
            throw new InvalidOperationException($"Recording the split view of {split.Origin} was not appended: {result.Code}.");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Peer {Peer} showed a split view in its {Source}; it is no longer trusted and everything under it ends")]
    private static partial void LogSplitView(ILogger logger, string peer, string source);
}
