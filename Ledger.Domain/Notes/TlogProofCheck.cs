using Ledger.Domain.Merkle;

namespace Ledger.Domain.Notes;

/// <summary>
/// The outcome of verifying a receipt (<see cref="TlogProof"/>): <see cref="Verified"/>, or one of the rejections
/// <see cref="Malformed"/>, <see cref="CheckpointRejected"/>, <see cref="OriginMismatch"/>, <see cref="NoEntry"/>,
/// <see cref="InclusionFailed"/>, <see cref="EntryMismatch"/>, each with a stable <see cref="Code"/> and its evidence.
/// </summary>
/// <remarks>Immutable values; a closed set (the constructor is private).</remarks>
public abstract record TlogProofCheck
{
    private TlogProofCheck(string code) => Code = code;

    /// <summary>A stable, machine-readable code.</summary>
    public string Code { get; }

    /// <summary>Whether the receipt verified.</summary>
    public bool IsVerified => this is Verified;

    /// <summary>The checkpoint is signed by a trusted key and the entry is included under its root.</summary>
    /// <param name="Checkpoint">The verified checkpoint.</param>
    /// <param name="Signatures">The checkpoint note verification (which trusted keys signed).</param>
    /// <param name="Index">The entry's 0-based index (ledger position).</param>
    /// <param name="LeafHash">SHA-256(0x00 ‖ entry).</param>
    public sealed record Verified(Checkpoint Checkpoint, NoteCheck.Verified Signatures, long Index, byte[] LeafHash)
        : TlogProofCheck("ok");

    /// <summary>The receipt text could not be parsed.</summary>
    /// <param name="Reason">What is wrong.</param>
    public sealed record Malformed(string Reason) : TlogProofCheck("receipt-malformed");

    /// <summary>The checkpoint note did not verify against the trusted keys.</summary>
    /// <param name="Note">The note verification result (no known signature, or an invalid one).</param>
    public sealed record CheckpointRejected(NoteCheck Note) : TlogProofCheck("receipt-checkpoint-rejected");

    /// <summary>Trusted keys signed the checkpoint, but none of them is a log key: a witness's cosignature (type 0x04)
    /// never stands for the log's own signature (c2sp.org/tlog-proof,
    /// "Verifying", step 2).</summary>
    /// <param name="Origin">The checkpoint's origin line.</param>
    /// <param name="SignedBy">The names of the trusted keys that did sign.</param>
    public sealed record NoLogSignature(string Origin, IReadOnlyList<string> SignedBy) : TlogProofCheck("receipt-no-log-signature");

    /// <summary>The checkpoint does not meet the trust policy (no log signature, a bad signature, or the witness quorum not met).</summary>
    /// <param name="Policy">The policy's verdict with its evidence.</param>
    public sealed record PolicyRejected(TlogPolicyCheck Policy) : TlogProofCheck("receipt-policy-rejected");

    /// <summary>The checkpoint is of another log than expected.</summary>
    /// <param name="Expected">The origin the caller expected.</param>
    /// <param name="Actual">The checkpoint's origin line.</param>
    public sealed record OriginMismatch(string Expected, string Actual) : TlogProofCheck("receipt-origin-mismatch");

    /// <summary>No entry bytes were given and the receipt carries none in its extra data.</summary>
    public sealed record NoEntry() : TlogProofCheck("receipt-no-entry");

    /// <summary>The inclusion proof does not lead from the entry's leaf hash to the checkpoint root.</summary>
    /// <param name="Failure">The Merkle evidence (index, size, expected and calculated root, or the proof fault).</param>
    /// <param name="LeafHash">SHA-256(0x00 ‖ entry) that was checked.</param>
    public sealed record InclusionFailed(MerkleFailure Failure, byte[] LeafHash) : TlogProofCheck("receipt-inclusion-failed");

    /// <summary>The proof verified, but the carried entry is not a ledger entry of that log at that position.</summary>
    /// <param name="Reason">What does not match.</param>
    public sealed record EntryMismatch(string Reason) : TlogProofCheck("receipt-entry-mismatch");
}
