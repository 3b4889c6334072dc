using Ledger.Domain.Federation;
using Ledger.Domain.Merkle;

namespace Ledger.Domain.Witnessing;

/// <summary>
/// What c2sp.org/tlog-witness says of a validly signed <c>add-checkpoint</c> request, given what the witness holds:
/// <see cref="Accept"/> or a refusal with its status. A refusal that proves the log signed two inconsistent trees
/// carries the <see cref="SplitView"/> evidence.
/// </summary>
/// <remarks>Immutable values; a closed set (the constructor is private).</remarks>
public abstract record WitnessVerdict
{
    private WitnessVerdict(int status, string code)
    {
        Status = status;
        Code = code;
    }

    /// <summary>The HTTP status tlog-witness prescribes.</summary>
    public int Status { get; }

    /// <summary>A stable code.</summary>
    public string Code { get; }

    /// <summary>The evidence of a split view, when this refusal proves one.</summary>
    public SplitViewDetected? SplitView { get; init; }

    /// <summary>Every check passed: the witness may cosign.</summary>
    public sealed record Accept() : WitnessVerdict(200, "ok");

    /// <summary>The old size is above the checkpoint's size (400).</summary>
    public sealed record OldSizeAboveCheckpoint(long OldSize, long Size) : WitnessVerdict(400, "old-size-above-checkpoint");

    /// <summary>The old size is not the size of the latest cosigned checkpoint (409, body: <paramref name="LatestSize"/>).</summary>
    public sealed record OldSizeMismatch(long OldSize, long LatestSize) : WitnessVerdict(409, "old-size-mismatch");

    /// <summary>A checkpoint of size 0 whose root is not the empty tree's (422).</summary>
    public sealed record BadEmptyTree(string Root) : WitnessVerdict(422, "bad-empty-tree");

    /// <summary>A non-empty proof from old size 0 (422).</summary>
    public sealed record ProofFromEmptyTree(int ProofLength) : WitnessVerdict(422, "proof-from-empty-tree");

    /// <summary>The consistency proof does not verify from the held checkpoint to the new one (422).</summary>
    public sealed record InconsistentProof(MerkleFailure Failure) : WitnessVerdict(422, "inconsistent-proof");

    /// <summary>The checkpoint has the held size and another root (422).</summary>
    public sealed record RootMismatch(long Size, string HeldRoot, string Root) : WitnessVerdict(422, "root-mismatch");
}
