using System.Globalization;
using Ledger.Domain.Bundles;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;

namespace Ledger.Verifier;

/// <summary>
/// Checks every <c>execution.proof-persisted.v1</c> (docs/FORMAT.md §7.5, §8): its <c>lineageDigest</c> against the
/// lineage tree recomputed with <see cref="LineageForest"/>, its <c>positions</c> against the execution's events, its
/// <c>checkpointSize</c> against the tree's events, and its <c>checkpointRoot</c> against the bundle's checkpoint of
/// that size.
/// </summary>
/// <remarks>
/// <para>The tree is taken as it stands at the proof: the ledger proves a tree only once every member has ended, after
/// which the tree can no longer change (an event after the end or an intent under an ended parent is itself a
/// lifecycle failure the replay reports), so the tree at the proof is the final tree. A proof while a member is still
/// open is <c>proof.tree-not-ended</c>.</para>
/// <para>Memory: the <see cref="LineageForest"/> holds the trees not yet fully proven; a tree is released once every
/// member's proof is checked. The signed roots of checkpoints are kept (40 bytes each) from the first event of the
/// oldest tree held on, since a proof names a checkpoint larger than its tree's last event.</para>
/// <para>Not thread-safe: used by the sequential stage only.</para>
/// </remarks>
internal sealed class ProofChecks
{
    private const int ShownPositions = 12;

    private readonly BundleHeader _header;
    private readonly FindingLog _log;
    private readonly LineageForest _forest;
    private readonly List<(long Size, byte[] Root)> _roots = [];
    private readonly Dictionary<long, List<(long Position, byte[] Root)>> _pending = [];
    private long _lastAdded = -1;

    public ProofChecks(BundleHeader header, FindingLog log)
    {
        _header = header;
        _log = log;
        var full = header.Kind == BundleKind.Full;
        _forest = new LineageForest(header.Origin, historyFromStart: full && header.From == 0);
    }

    /// <summary>Proofs examined.</summary>
    public long ProofsChecked { get; private set; }

    /// <summary>Proof digests not checked: the tree is not wholly in the bundle (stream exports, history before the range).</summary>
    public long DigestsNotChecked { get; private set; }

    /// <summary>Proof roots not checked: no checkpoint of the size named is in the bundle, and the bundle need not hold it.</summary>
    public long RootsNotChecked { get; private set; }

    /// <summary>A signed root of the log at <paramref name="size"/> (a checkpoint, or the frontier of a full bundle).</summary>
    public void OnRoot(long size, byte[] root)
    {
        if (_roots.Count > 0 && _roots[^1].Size >= size)
        {
            return; // Out of order or the same size again: reported as a checkpoint failure already.
        }

        if (_pending.Remove(size, out var waiting))
        {
            foreach (var (position, named) in waiting)
            {
                CompareRoot(position, size, named, root);
            }
        }

        _roots.Add((size, root));
        if (_forest.OldestPosition is { } oldest)
        {
            // No held tree can name a size at or below its first event; keep the latest root at or below it anyway.
            var drop = _roots.FindLastIndex(r => r.Size <= oldest);
            if (drop > 0)
            {
                _roots.RemoveRange(0, drop);
            }
        }
        else if (_roots.Count > 1)
        {
            _roots.RemoveRange(0, _roots.Count - 1);
        }
    }

    /// <summary>Follows one entry of an execution stream; checks it when it is a proof.</summary>
    public void OnEntry(LedgerEntry entry, byte[] leafHash, IExecutionEvent? @event, long position, StreamView view)
    {
        if (entry.Position <= _lastAdded)
        {
            return; // Entries out of order: reported as entry failures; the trees cannot be followed past them.
        }

        _lastAdded = entry.Position;
        var member = _forest.Add(entry, leafHash, @event, startsMidStream: view.IsNew && view.HistoryIncomplete);
        if (@event is not ProofPersisted proof)
        {
            return;
        }

        ProofsChecked++;
        var complete = member?.HistoryComplete ?? !view.HistoryIncomplete;
        var tooSmall = member is not null && CheckSize(proof, position, member.Tree);
        if (member is not null)
        {
            CheckEnded(position, member.Tree);
            CheckDigest(proof, position, member.Tree);
        }
        else if (complete)
        {
            _log.Fail("proof.positions-mismatch", position, null,
                $"the proof of '{entry.Stream}' names {proof.Positions.Count} positions, but the execution has no event before it",
                new EvidenceBuilder().Add("expected positions", "none").Add("found positions", Show(proof.Positions)));
        }
        else
        {
            DigestsNotChecked++;
        }

        if (member is not null && complete)
        {
            CheckPositions(proof, position, member);
        }

        if (!tooSmall)
        {
            CheckRoot(proof, position);
        }

        if (member is { Tree.IsProven: true })
        {
            _forest.Forget(member.Tree);
        }
    }

    /// <summary>At the trailer: proofs whose checkpoint never appeared in a partial bundle were not checked against it.</summary>
    public void Finish()
    {
        RootsNotChecked += _pending.Values.Sum(w => w.Count);
        _pending.Clear();
    }

    private bool CheckSize(ProofPersisted proof, long position, LineageForestTree tree)
    {
        if (tree.LastPosition < proof.CheckpointSize)
        {
            return false;
        }

        _log.Fail("proof.checkpoint-size-too-small", position, proof.CheckpointSize,
            FormattableString.Invariant($"the proof names a checkpoint of size {proof.CheckpointSize}, but execution '{tree.LastExecution}' of its lineage tree has an event at position {tree.LastPosition}, which that checkpoint does not cover"),
            new EvidenceBuilder().Add("checkpoint size", proof.CheckpointSize).Add("tree's last position", tree.LastPosition)
                .Add("expected checkpoint size at least", tree.LastPosition + 1).Add("execution", tree.LastExecution.ToString()));
        return true;
    }

    private void CheckEnded(long position, LineageForestTree tree)
    {
        if (tree.OpenMembers == 0)
        {
            return;
        }

        var open = tree.Members.First(m => !m.IsEnded).Execution;
        _log.Fail("proof.tree-not-ended", position, null,
            FormattableString.Invariant($"the proof was persisted while execution '{open}' of its lineage tree (root '{tree.Root}') had not ended: the ledger proves a tree only once every member is terminal"),
            new EvidenceBuilder().Add("open execution", open.ToString()).Add("open members", tree.OpenMembers));
    }

    private void CheckDigest(ProofPersisted proof, long position, LineageForestTree tree)
    {
        if (!tree.IsComplete || _header.Kind == BundleKind.Stream)
        {
            DigestsNotChecked++;
            return;
        }

        var calculated = tree.Digest();
        if (string.Equals(calculated, proof.LineageDigest, StringComparison.Ordinal))
        {
            return;
        }

        _log.Fail("proof.lineage-digest-mismatch", position, null,
            FormattableString.Invariant($"the proof's lineage digest is not the digest of the lineage tree of '{tree.Root}' ({tree.Members.Count} executions, {tree.EventCount} events): a node or an event of the tree was changed, added or left out, or the digest was"),
            new EvidenceBuilder().Add("expected digest (recorded)", proof.LineageDigest).Add("calculated digest", calculated)
                .Add("tree root", tree.Root.ToString()).Add("tree executions", tree.Members.Count).Add("tree events", tree.EventCount));
    }

    private void CheckPositions(ProofPersisted proof, long position, LineageMember member)
    {
        var expected = member.Positions;
        if (expected.SequenceEqual(proof.Positions))
        {
            return;
        }

        var missing = expected.Except(proof.Positions).Select(p => (long?)p).FirstOrDefault();
        var extra = proof.Positions.Except(expected).Select(p => (long?)p).FirstOrDefault();
        var difference = missing is { } m ? FormattableString.Invariant($"position {m} of the execution is missing")
            : extra is { } x ? FormattableString.Invariant($"position {x} is not an event of the execution")
            : "the positions are not in ascending order";
        _log.Fail("proof.positions-mismatch", position, null,
            $"the proof's positions are not exactly the events of execution '{member.Execution}': {difference}",
            new EvidenceBuilder().Add("expected positions", Show(expected)).Add("found positions", Show(proof.Positions))
                .Add("missing position", missing).Add("extra position", extra));
    }

    private void CheckRoot(ProofPersisted proof, long position)
    {
        var size = proof.CheckpointSize;
        var named = Convert.FromBase64String(proof.CheckpointRoot);
        if (size > position)
        {
            _log.Fail("proof.checkpoint-unknown", position, size,
                FormattableString.Invariant($"the proof at position {position} names a checkpoint of size {size}, which would hold the proof itself: the ledger names a checkpoint signed before it appends the proof"),
                new EvidenceBuilder().Add("checkpoint size", size).Add("expected checkpoint size at most", position));
            return;
        }

        var index = _roots.FindIndex(r => r.Size == size);
        if (index >= 0)
        {
            CompareRoot(position, size, named, _roots[index].Root);
            return;
        }

        if (_header.Kind != BundleKind.Full)
        {
            // A partial bundle holds the checkpoints it chose; one of this size may still follow.
            if (!_pending.TryGetValue(size, out var waiting))
            {
                _pending[size] = waiting = [];
            }

            waiting.Add((position, named));
            return;
        }

        if (size <= _header.From)
        {
            RootsNotChecked++; // Before the range: the bundle need not hold that checkpoint.
            return;
        }

        _log.Fail("proof.checkpoint-unknown", position, size,
            FormattableString.Invariant($"the proof names a checkpoint of size {size}, but the bundle, which holds every checkpoint of sizes ({_header.From}, {_header.To}], has none of that size: the ledger names only signed checkpoints"),
            new EvidenceBuilder().Add("checkpoint size", size).Add("recorded root", proof.CheckpointRoot));
    }

    private void CompareRoot(long position, long size, byte[] named, byte[] signed)
    {
        if (named.AsSpan().SequenceEqual(signed))
        {
            return;
        }

        _log.Fail("proof.checkpoint-root-mismatch", position, size,
            FormattableString.Invariant($"the proof's checkpoint root is not the root of the log's signed checkpoint of size {size}"),
            new EvidenceBuilder().Hash("expected root (signed checkpoint)", signed).Hash("recorded root", named));
    }

    private static string Show(IReadOnlyList<long> positions)
    {
        var shown = string.Join(", ", positions.Take(ShownPositions).Select(p => p.ToString(CultureInfo.InvariantCulture)));
        return positions.Count > ShownPositions ? FormattableString.Invariant($"{shown}, … ({positions.Count} in all)") : shown;
    }
}
