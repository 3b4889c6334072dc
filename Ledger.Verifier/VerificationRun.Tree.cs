using Ledger.Domain.Bundles;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;

namespace Ledger.Verifier;

// Checkpoints, proofs, the recomputed tree and the trailer.
internal sealed partial class VerificationRun
{
    private CompactRange? _range;
    private byte[]? _frontierRoot;
    private BundleConsistency? _pendingConsistency;
    private BundleInclusion? _pendingInclusion;

    // The attestation record just read (lineage bundles): it belongs to the next entry (FORMAT §7.3).
    private string? _pendingAttestation;
    private (long Size, byte[] Root)? _lastCheckpoint;
    private string? _lastCheckpointNote;
    // Whether _lastCheckpoint is the saved checkpoint of a previous audit (--from-checkpoint), not one of the bundle's.
    private bool _previousIsHeld;
    private long _rootsRecomputed;
    private long _consistencyProofs;

    private void OnCheckpoint(BundleCheckpoint record)
    {
        var consistency = _pendingConsistency;
        _pendingConsistency = null;
        if (!SignedNote.TryParse(record.SignedNote, out var note, out var error))
        {
            _log.Fail("checkpoint.malformed", null, null, "the checkpoint is not a signed note: " + error);
            return;
        }

        if (!string.Equals(note.Format(), record.SignedNote, StringComparison.Ordinal))
        {
            _log.Fail("checkpoint.malformed", null, null, "the checkpoint note is not in its one canonical spelling");
            return;
        }

        if (!Checkpoint.TryParse(note.Text, out var checkpoint, out error))
        {
            _log.Fail("checkpoint.malformed", null, null, "the note is not a checkpoint: " + error);
            return;
        }

        var size = checkpoint.Size;
        var root = checkpoint.RootHash.ToArray();
        CheckSignature(note, size);
        if (!string.Equals(checkpoint.Origin, _header.Origin, StringComparison.Ordinal))
        {
            _log.Fail("checkpoint.origin-mismatch", null, size,
                $"the checkpoint is of log '{checkpoint.Origin}', not of the bundle's log '{_header.Origin}'",
                new EvidenceBuilder().Add("expected origin", _header.Origin).Add("found origin", checkpoint.Origin));
        }

        CheckConsistency(consistency, size, root);
        if (_header.Kind == BundleKind.Full)
        {
            CheckRoot(size, root);
        }

        _lastCheckpoint = (size, root);
        _lastCheckpointNote = record.SignedNote;
        _previousIsHeld = false;
        _proofs?.OnRoot(size, root);
    }

    // The saved state for the next audit: the last checkpoint and the range at its size, when the tree ends there.
    private HeldCheckpoint? LastHeld() =>
        _header is { Kind: BundleKind.Full } && _range is { } range && _lastCheckpoint is { } last && last.Size == range.Size && last.Size > 0 && _lastCheckpointNote is { } note
            ? new HeldCheckpoint(note, last.Size, last.Root, [.. range.Hashes])
            : null;

    private void CheckSignature(SignedNote note, long size)
    {
        var check = _policy.Verify(note, _now);
        switch (check)
        {
            case TlogPolicyCheck.Verified:
                return;
            case TlogPolicyCheck.InvalidSignature invalid:
                _log.Fail("checkpoint.signature-invalid", null, size,
                    $"the signature by trusted {invalid.Role} key '{invalid.KeyName}' does not verify: the checkpoint was altered or forged",
                    new EvidenceBuilder().Add("key", invalid.KeyName + "+" + invalid.KeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)));
                return;
            case TlogPolicyCheck.QuorumNotMet quorum:
                _log.Fail("checkpoint.quorum-not-met", null, size, quorum.Describe(),
                    new EvidenceBuilder().Add("quorum", quorum.Quorum).Add("cosigned by", string.Join(", ", quorum.Cosigners)).Add("signed by", string.Join(", ", note.Signatures.Select(s => s.Name))));
                return;
            default:
                _log.Fail("checkpoint.untrusted", null, size,
                    check is TlogPolicyCheck.NoLogSignature { WitnessOnly: true }
                        ? "the log's own signature is missing: only witnesses signed this checkpoint (signed by: " + string.Join(", ", note.Signatures.Select(s => s.Name)) + ")"
                        : "no trusted log key signed this checkpoint (signed by: " + string.Join(", ", note.Signatures.Select(s => s.Name)) + ")",
                    new EvidenceBuilder().Add("trusted keys", string.Join(", ", _policy.Logs.Select(k => k.Key.Name))).Add("signed by", string.Join(", ", note.Signatures.Select(s => s.Name))).Add("why", check.Describe()));
                return;
        }
    }

    private void CheckConsistency(BundleConsistency? consistency, long size, byte[] root)
    {
        if (_lastCheckpoint is not { } previous)
        {
            if (consistency is not null)
            {
                _log.Fail("consistency.unexpected", null, size, "the first checkpoint of a bundle has no consistency record before it");
            }

            return;
        }

        if (_previousIsHeld && size == previous.Size)
        {
            // The bundle's own checkpoint at its start (FORMAT §7.4 item 2) must be the one the previous audit verified.
            if (!root.AsSpan().SequenceEqual(previous.Root))
            {
                _log.Fail("checkpoint.held-mismatch", null, size,
                    FormattableString.Invariant($"the bundle's checkpoint of size {size} has another root than the checkpoint of that size the previous audit verified: a split view"),
                    new EvidenceBuilder().Hash("root verified before", previous.Root).Hash("root in this bundle", root));
            }

            return;
        }

        if (_previousIsHeld && consistency is null)
        {
            // No consistency record from the saved checkpoint: the root recomputed from the frontier (which must be the
            // saved range) and the entries links the two.
            return;
        }

        if (size <= previous.Size)
        {
            _log.Fail("checkpoint.out-of-order", null, size,
                FormattableString.Invariant($"checkpoints follow in increasing size; this one (size {size}) follows one of size {previous.Size}"));
            return;
        }

        if (previous.Size == 0)
        {
            if (consistency is not null)
            {
                _log.Fail("consistency.unexpected", null, size, "no consistency proof leads from the empty tree; the record must not be there");
            }

            return;
        }

        if (consistency is null)
        {
            _log.Fail("consistency.missing", null, size,
                FormattableString.Invariant($"no consistency proof leads from the previous checkpoint (size {previous.Size}) to this one"));
            return;
        }

        if (consistency.From != previous.Size || consistency.To != size)
        {
            _log.Fail("consistency.wrong-sizes", null, size,
                FormattableString.Invariant($"the consistency proof is from {consistency.From} to {consistency.To}; the checkpoints are of sizes {previous.Size} and {size}"));
            return;
        }

        _consistencyProofs++;
        var check = MerkleVerifier.VerifyConsistency(previous.Size, size, consistency.Hashes, previous.Root, root);
        if (check.Failure is { } failure)
        {
            _log.Fail("checkpoint.inconsistent", null, size,
                FormattableString.Invariant($"the checkpoint of size {size} is not consistent with the checkpoint of size {previous.Size}: a split view or a rewritten log ({failure})"),
                Evidence(failure).Hash("root at the previous checkpoint", previous.Root).Hash("root at this checkpoint", root));
        }
    }

    private void CheckRoot(long size, byte[] root)
    {
        if (_range is null)
        {
            // Before the frontier of a bundle that starts after position 0: a prior checkpoint.
            if (size > _header.From)
            {
                _log.Fail("checkpoint.misplaced", null, size,
                    FormattableString.Invariant($"a checkpoint of size {size} comes before the entries of [{_header.From}, {size}); it belongs after the entry at position {size - 1}"));
            }

            return;
        }

        if (size != _range.Size)
        {
            _log.Fail("checkpoint.misplaced", null, size,
                FormattableString.Invariant($"a checkpoint of size {size} stands where the entries reach size {_range.Size}; it belongs right after the entry at position {size - 1}"));
            return;
        }

        _rootsRecomputed++;
        var calculated = _range.Root();
        if (!calculated.AsSpan().SequenceEqual(root))
        {
            var from = _rootCheckedUpTo;
            _log.Fail("checkpoint.root-mismatch", null, size,
                FormattableString.Invariant($"the root recomputed from the bundle's entries is not the signed root of size {size}: an entry in [{from}, {size}) was changed, removed, added or reordered"),
                new EvidenceBuilder().Hash("expected root (signed)", root).Hash("calculated root", calculated).Add("suspect positions", FormattableString.Invariant($"[{from}, {size})")));
        }

        _rootCheckedUpTo = size;
    }

    private long _rootCheckedUpTo;

    private void OnFrontier(BundleFrontier frontier)
    {
        if (_settings.From is { } held && (frontier.Hashes.Count != held.Range.Count || frontier.Hashes.Where((h, i) => !h.AsSpan().SequenceEqual(held.Range[i])).Any()))
        {
            _log.Fail("frontier.held-mismatch", null, frontier.Size,
                FormattableString.Invariant($"the frontier of size {frontier.Size} is not the range of the checkpoint the previous audit verified"));
        }

        _range = CompactRange.FromHashes(frontier.Size, frontier.Hashes);
        _frontierRoot = _range.Root();
        _rootCheckedUpTo = frontier.Size;
        _proofs?.OnRoot(frontier.Size, _frontierRoot);
        if (_lastCheckpoint is { } prior && prior.Size == frontier.Size && !prior.Root.AsSpan().SequenceEqual(_frontierRoot))
        {
            _log.Fail("frontier.root-mismatch", null, frontier.Size,
                FormattableString.Invariant($"the frontier's root is not the signed root of the checkpoint of the same size {frontier.Size}"),
                new EvidenceBuilder().Hash("expected root (signed)", prior.Root).Hash("calculated root", _frontierRoot));
        }
    }

    /// <summary>Checks the inclusion proof announced for a proved entry; returns the entry's position (the proof's index).</summary>
    private long CheckInclusion(PreparedEntry entry)
    {
        var inclusion = _pendingInclusion!;
        _pendingInclusion = null;
        var (headSize, headRoot, what) = _header.Kind == BundleKind.Full
            ? (_header.From, _frontierRoot, "frontier")
            : (_lastCheckpoint?.Size ?? -1, _lastCheckpoint?.Root, "latest checkpoint");
        if (inclusion.Index <= _lastProvedPosition)
        {
            _log.Fail("entry.out-of-order", inclusion.Index, null,
                FormattableString.Invariant($"proved entries follow in increasing position; position {inclusion.Index} follows {_lastProvedPosition}"));
        }

        _lastProvedPosition = Math.Max(_lastProvedPosition, inclusion.Index);
        if (headRoot is null || inclusion.TreeSize != headSize)
        {
            _log.Fail("entry.inclusion-wrong-tree", inclusion.Index, inclusion.TreeSize,
                FormattableString.Invariant($"the inclusion proof is for a tree of size {inclusion.TreeSize}; the {what} it must lead to has size {headSize}"));
            return inclusion.Index;
        }

        _inclusionProofs++;
        var check = MerkleVerifier.VerifyInclusion(inclusion.Index, inclusion.TreeSize, entry.LeafHash, inclusion.Hashes, headRoot);
        if (check.Failure is { } failure)
        {
            _log.Fail("entry.inclusion-invalid", inclusion.Index, inclusion.TreeSize,
                FormattableString.Invariant($"the entry is not leaf {inclusion.Index} of the tree of size {inclusion.TreeSize} ({failure}): it was changed, or the proof was"),
                Evidence(failure).Hash("leaf hash", entry.LeafHash));
        }

        return inclusion.Index;
    }

    private long _lastProvedPosition = -1;

    private void OnTrailer(BundleTrailer trailer, BundleReader reader)
    {
        var lines = reader.LineNumber - 1;
        if (trailer.Lines != lines || trailer.Entries != reader.Entries || trailer.Checkpoints != reader.Checkpoints)
        {
            _log.Fail("trailer.count-mismatch", null, null,
                FormattableString.Invariant($"the trailer counts {trailer.Lines} lines, {trailer.Entries} entries and {trailer.Checkpoints} checkpoints; the bundle has {lines}, {reader.Entries} and {reader.Checkpoints}: lines were removed or added"),
                new EvidenceBuilder().Add("expected lines", trailer.Lines).Add("found lines", lines)
                    .Add("expected entries", trailer.Entries).Add("found entries", reader.Entries)
                    .Add("expected checkpoints", trailer.Checkpoints).Add("found checkpoints", reader.Checkpoints));
        }

        _proofs?.Finish();
        if (_lastCheckpoint is null)
        {
            _log.Fail("bundle.no-checkpoint", null, null, "the bundle has no checkpoint: nothing in it is signed");
        }

        if (_header.Kind == BundleKind.Full)
        {
            var end = _range?.Size ?? 0;
            if (end != _header.To)
            {
                _log.Fail("bundle.range-mismatch", end, null,
                    FormattableString.Invariant($"the header exports [{_header.From}, {_header.To}) but the entries end at position {end}"),
                    new EvidenceBuilder().Add("expected end", _header.To).Add("found end", end));
            }

            if (_lastCheckpoint is { } last && last.Size != end)
            {
                _log.Fail("bundle.unsigned-tail", null, last.Size,
                    FormattableString.Invariant($"the last checkpoint has size {last.Size} but the entries run to {end}: the entries after it are signed by nothing"));
            }
        }
        else
        {
            CheckScopeAtEnd();
        }
    }

    private static EvidenceBuilder Evidence(MerkleFailure failure)
    {
        var evidence = new EvidenceBuilder().Add("code", failure.CodeName).Add("index", failure.Index).Add("from size", failure.FromSize)
            .Add("tree size", failure.TreeSize).Add("proof length", failure.ProofLength).Add("expected proof length", failure.ExpectedProofLength);
        evidence.Hash("expected hash", failure.ExpectedHash).Hash("calculated hash", failure.CalculatedHash);
        return evidence;
    }
}
