using System.Globalization;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Federation;

/// <summary>
/// Verifies an <see cref="ExecutionAttestation"/> (docs/FORMAT.md §10.3): one pure function shared by the ledger that
/// decides a child's submission, the follow job and the offline verifier.
/// </summary>
/// <remarks>
/// Checks, in order, and the first failure decides: the text parses; the statement is signed by the peer's log key;
/// it is about the peer and the execution asked for; the checkpoint is the peer's and meets the peer's policy
/// (signature and witness quorum); the statement states that checkpoint; the checkpoint is consistent with the one
/// held (a validly signed inconsistency is a split view) and not older; every entry is included under the checkpoint,
/// is the peer's, belongs to the execution's stream in order and chains to the one before; the entries fold to the
/// stated version, last leaf and status; the statement is neither from the future nor older than the allowed age.
/// Stateless and thread-safe.
/// </remarks>
public static class AttestationVerifier
{
    /// <summary>Verifies <paramref name="text"/> as an attestation of <paramref name="execution"/> by the peer <paramref name="trust"/>.</summary>
    public static AttestationCheck Verify(string text, PeerTrust trust, ExecutionId execution, AttestationContext context)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(context);
        if (!ExecutionAttestation.TryParse(text, out var attestation, out var parseError))
        {
            return new AttestationCheck.Malformed(parseError);
        }

        if (CheckSigned(attestation.Statement, trust) is { } unsigned)
        {
            return unsigned;
        }

        if (!AttestationStatement.TryParse(attestation.Statement.Text, out var statement, out var statementError))
        {
            return new AttestationCheck.Malformed(statementError);
        }

        if (statement.Origin != trust.Origin || statement.Execution != execution)
        {
            return new AttestationCheck.WrongSubject($"execution '{execution}' of '{trust.Origin}'", $"execution '{statement.Execution}' of '{statement.Origin}'");
        }

        if (CheckCheckpoint(attestation.Parts, trust, context, statement.Size, statement.Root, out var checkpoint) is { } checkpointProblem)
        {
            return checkpointProblem;
        }

        var root = checkpoint.RootHash.ToArray();
        var state = ExecutionState.Initial(execution);
        byte[]? previousLeaf = null;
        for (var i = 0; i < attestation.Entries.Count; i++)
        {
            var attested = attestation.Entries[i];
            if (CheckEntry(attested, i + 1, previousLeaf, trust.Origin, execution, checkpoint, root, ref state) is { } problem)
            {
                return new AttestationCheck.EntryRejected(attested.Position, problem);
            }

            previousLeaf = MerkleHash.HashLeaf(attested.Entry);
        }

        if (statement.Version != attestation.Entries.Count)
        {
            return new AttestationCheck.StatementMismatch("version", Invariant($"{statement.Version}"), Invariant($"{attestation.Entries.Count} entries"));
        }

        if (!statement.LastLeaf.AsSpan().SequenceEqual(previousLeaf))
        {
            return new AttestationCheck.StatementMismatch("leaf", Convert.ToBase64String(statement.LastLeaf), Convert.ToBase64String(previousLeaf!));
        }

        if (statement.Status != state.Status)
        {
            return new AttestationCheck.StatementMismatch("status", statement.Status.ToWireName(), state.Status.ToWireName());
        }

        if (CheckTime(statement.Time, context) is { } stale)
        {
            return stale;
        }

        return new AttestationCheck.Verified(new AttestedExecution(statement, attestation.CheckpointNote.Format(), state, attestation.Digest()));
    }

    /// <summary>Step 2 (FORMAT §10.3): the statement note carries a valid signature by the peer's log key.</summary>
    internal static AttestationCheck? CheckSigned(SignedNote statement, PeerTrust trust) =>
        new NoteVerifierSet(trust.LogKey).Verify(statement) is NoteCheck.Verified
            ? null
            : new AttestationCheck.StatementNotSigned(trust.Origin, [.. statement.Signatures.Select(s => s.Name)]);

    /// <summary>
    /// Steps 4 to 6 (FORMAT §10.3): the checkpoint is the peer's and meets its policy, the statement states it
    /// (<paramref name="size"/>, <paramref name="root"/>), and it is consistent with the checkpoint held, not older.
    /// </summary>
    internal static AttestationCheck? CheckCheckpoint(AttestationText.Parts parts, PeerTrust trust, AttestationContext context, long size, byte[] root, out Checkpoint checkpoint)
    {
        var policy = trust.Policy.Verify(parts.Checkpoint, context.Now, context.AllowedSkew);
        if (policy is not TlogPolicyCheck.Verified { Checkpoint: var verified })
        {
            checkpoint = null!;
            return new AttestationCheck.CheckpointRejected(policy);
        }

        checkpoint = verified;
        if (checkpoint.Origin != trust.Origin)
        {
            return new AttestationCheck.WrongSubject($"a checkpoint of '{trust.Origin}'", $"a checkpoint of '{checkpoint.Origin}'");
        }

        var checkpointRoot = checkpoint.RootHash.ToArray();
        if (size != checkpoint.Size || !root.AsSpan().SequenceEqual(checkpointRoot))
        {
            return new AttestationCheck.StatementMismatch("checkpoint", Invariant($"{size} {Convert.ToBase64String(root)}"), Invariant($"{checkpoint.Size} {Convert.ToBase64String(checkpointRoot)}"));
        }

        return context.HeldCheckpoint is { } held ? CheckHeld(parts, checkpoint, held) : null;
    }

    /// <summary>Step 9 (FORMAT §10.3): the statement's time is neither from the future nor older than allowed.</summary>
    internal static AttestationCheck? CheckTime(DateTimeOffset time, AttestationContext context)
    {
        if (time > context.Now + context.AllowedSkew)
        {
            return new AttestationCheck.Stale(
                $"the statement's time {AttestationCheck.Time(time)} is later than the verifier's clock {AttestationCheck.Time(context.Now)} (plus {context.AllowedSkew.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)");
        }

        if (context.Now - time > context.MaxAge)
        {
            return new AttestationCheck.Stale(
                $"the statement was made at {AttestationCheck.Time(time)}, older than maxPeerSilence {Parameters.IsoDuration.Format(context.MaxAge)} at {AttestationCheck.Time(context.Now)}");
        }

        return null;
    }

    private static AttestationCheck? CheckHeld(AttestationText.Parts attestation, Checkpoint checkpoint, string heldText)
    {
        var held = Checkpoint.Parse(SignedNote.Parse(heldText).Text);
        var root = checkpoint.RootHash.Span;
        var heldRoot = held.RootHash.ToArray();
        var conflicting = attestation.Checkpoint.Format();
        if (checkpoint.Size == held.Size)
        {
            return root.SequenceEqual(heldRoot) ? null : new AttestationCheck.SplitView(SplitViewKind.SameSizeDifferentRoot, heldText, conflicting, []);
        }

        if (checkpoint.Size < held.Size)
        {
            return new AttestationCheck.Stale(Invariant($"its checkpoint (size {checkpoint.Size}) is older than the one already held (size {held.Size})"));
        }

        if (held.Size == 0)
        {
            return null;
        }

        if (attestation.ConsistencyFrom != held.Size)
        {
            return new AttestationCheck.Malformed(Invariant($"it carries no consistency proof from the held size {held.Size}"));
        }

        var proof = attestation.ConsistencyProof;
        var check = MerkleVerifier.VerifyConsistency(held.Size, checkpoint.Size, proof, heldRoot, root);
        if (check.Failure is not { } failure)
        {
            return null;
        }

        // As a witness judges it (WitnessRules): a proof that leads from another root at the held size exactly to the
        // new signed root shows two trees; a proof that leads nowhere is only a bad answer.
        if (failure.Code == MerkleFailureCode.FirstRootMismatch && failure.CalculatedHash is { } derived && !derived.AsSpan().SequenceEqual(heldRoot)
            && MerkleVerifier.VerifyConsistency(held.Size, checkpoint.Size, proof, derived, root).IsValid)
        {
            return new AttestationCheck.SplitView(SplitViewKind.ProvenInconsistent, heldText, conflicting, [.. proof.Select(Convert.ToBase64String)]);
        }

        return new AttestationCheck.Malformed("its consistency proof from the held checkpoint does not verify: " + failure.Message);
    }

    private static string? CheckEntry(
        AttestedEntry attested, long version, byte[]? previousLeaf, string origin, ExecutionId execution, Checkpoint checkpoint, byte[] root, ref ExecutionState state)
    {
        if (CheckStreamEntry(attested, version, previousLeaf, origin, execution.StreamName, checkpoint, root, out var entry) is { } problem)
        {
            return problem;
        }

        if (!ExecutionEventCodec.TryParse(entry.Type, entry.Data, out var @event, out var errors))
        {
            return $"its {entry.Type} data is not an execution event: {string.Join("; ", errors)}";
        }

        state = Execution.Evolve(state, @event, entry.RecordedAt, entry.Domain);
        return null;
    }

    /// <summary>
    /// Step 7 (FORMAT §10.3) but the data: the entry's inclusion proof verifies under the checkpoint, its bytes parse as
    /// an entry of <paramref name="origin"/> at the line's position, it is version <paramref name="version"/> of
    /// <paramref name="stream"/> and its <c>prev</c> is <paramref name="previousLeaf"/>. Null when it holds.
    /// </summary>
    internal static string? CheckStreamEntry(
        AttestedEntry attested, long version, byte[]? previousLeaf, string origin, string stream, Checkpoint checkpoint, byte[] root, out LedgerEntry entry)
    {
        entry = null!;
        var leaf = MerkleHash.HashLeaf(attested.Entry);
        var inclusion = MerkleVerifier.VerifyInclusion(attested.Position, checkpoint.Size, leaf, attested.Proof, root);
        if (inclusion.Failure is { } failure)
        {
            return "its inclusion proof does not verify under the checkpoint: " + failure;
        }

        try
        {
            entry = LedgerEntry.Parse(attested.Entry);
        }
        catch (FormatException e)
        {
            return "it is not a ledger entry: " + e.Message;
        }

        if (entry.Origin != origin || entry.Position != attested.Position)
        {
            return Invariant($"it states origin '{entry.Origin}' and position {entry.Position}");
        }

        if (entry.Stream != stream || entry.StreamVersion != version)
        {
            return Invariant($"it is version {entry.StreamVersion} of '{entry.Stream}', not version {version} of '{stream}'");
        }

        if (version > 1 && (entry.Prev is null || !entry.Prev.AsSpan().SequenceEqual(previousLeaf)))
        {
            return "its prev is not the leaf hash of the stream's previous entry";
        }

        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
