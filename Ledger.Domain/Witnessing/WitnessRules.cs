using Ledger.Domain.Federation;
using Ledger.Domain.Merkle;

namespace Ledger.Domain.Witnessing;

/// <summary>
/// The checks of c2sp.org/tlog-witness <c>add-checkpoint</c> that follow the signature check, in the order the
/// specification gives them, and the split-view evidence a refusal may carry.
/// </summary>
/// <remarks>
/// <para>A split view is recorded only when it is proven by signed data: a checkpoint of the held size with another
/// root (whatever old size the client claimed), or a consistency proof that leads to the new signed root and, at the
/// held size, to a root other than the held one. A proof that reaches neither is just a bad proof.</para>
/// <para>Pure and thread-safe.</para>
/// </remarks>
public static class WitnessRules
{
    /// <summary>The source named in split-view evidence found by the witness.</summary>
    public const string SubmissionSource = "witness-submission";

    /// <summary>Decides a request whose note carries a valid signature by a key trusted for its origin.</summary>
    /// <param name="request">The request.</param>
    /// <param name="held">The latest checkpoint cosigned for the origin, or null when none was.</param>
    public static WitnessVerdict Check(AddCheckpointRequest request, WitnessedHead? held)
    {
        ArgumentNullException.ThrowIfNull(request);
        var checkpoint = request.Checkpoint;
        var root = checkpoint.RootHash.Span;
        var latest = held?.Size ?? 0;
        var splitAtSameSize = held is not null && held.Size == checkpoint.Size && !root.SequenceEqual(held.Root)
            ? Evidence(request, held, SplitViewKind.SameSizeDifferentRoot, [])
            : null;

        if (request.OldSize > checkpoint.Size)
        {
            return new WitnessVerdict.OldSizeAboveCheckpoint(request.OldSize, checkpoint.Size) { SplitView = splitAtSameSize };
        }

        if (request.OldSize != latest)
        {
            return new WitnessVerdict.OldSizeMismatch(request.OldSize, latest) { SplitView = splitAtSameSize };
        }

        if (checkpoint.Size == 0 && !root.SequenceEqual(MerkleHash.EmptyRoot()))
        {
            return new WitnessVerdict.BadEmptyTree(Convert.ToBase64String(root));
        }

        if (request.OldSize == 0)
        {
            return request.Proof.Count != 0 ? new WitnessVerdict.ProofFromEmptyTree(request.Proof.Count) : new WitnessVerdict.Accept();
        }

        // From here on held is not null and held.Size == request.OldSize > 0.
        if (splitAtSameSize is not null)
        {
            return new WitnessVerdict.RootMismatch(checkpoint.Size, Convert.ToBase64String(held!.Root), Convert.ToBase64String(root)) { SplitView = splitAtSameSize };
        }

        var check = MerkleVerifier.VerifyConsistency(held!.Size, checkpoint.Size, request.Proof, held.Root, root);
        if (check.Failure is not { } failure)
        {
            return new WitnessVerdict.Accept();
        }

        return new WitnessVerdict.InconsistentProof(failure) { SplitView = ProvenFork(request, held, failure) };
    }

    /// <summary>
    /// The proof leads to a first root other than the held one: if, from that root, it also leads exactly to the new
    /// signed root, the log signed a tree whose prefix at the held size is not the tree it signed there.
    /// </summary>
    private static SplitViewDetected? ProvenFork(AddCheckpointRequest request, WitnessedHead held, MerkleFailure failure)
    {
        if (failure.Code != MerkleFailureCode.FirstRootMismatch || failure.CalculatedHash is not { } derived || derived.AsSpan().SequenceEqual(held.Root))
        {
            return null;
        }

        var other = MerkleVerifier.VerifyConsistency(held.Size, request.Checkpoint.Size, request.Proof, derived, request.Checkpoint.RootHash.Span);
        return other.IsValid ? Evidence(request, held, SplitViewKind.ProvenInconsistent, request.Proof) : null;
    }

    private static SplitViewDetected Evidence(AddCheckpointRequest request, WitnessedHead held, SplitViewKind kind, IReadOnlyList<byte[]> proof) =>
        new(request.Checkpoint.Origin, kind, held.Note, request.NoteText, [.. proof.Select(Convert.ToBase64String)], SubmissionSource);
}
