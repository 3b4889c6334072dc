namespace Ledger.Domain.Merkle;

/// <summary>
/// The outcome of verifying a Merkle proof: <see cref="Ok"/> (a <see cref="MerkleOk"/>), or a
/// <see cref="MerkleFailure"/> carrying the evidence of what did not verify.
/// </summary>
/// <remarks>
/// A closed set: the only subtypes are <see cref="MerkleOk"/> and <see cref="MerkleFailure"/>, both sealed.
/// Values are immutable and thread-safe. A bad proof is an expected outcome and is returned, never thrown.
/// </remarks>
public abstract record MerkleCheck
{
    private protected MerkleCheck()
    {
    }

    /// <summary>The single value meaning "the proof verified".</summary>
    public static MerkleCheck Ok => MerkleOk.Instance;

    /// <summary>Whether the proof verified.</summary>
    public abstract bool IsValid { get; }

    /// <summary>The failure, or null when the proof verified.</summary>
    public MerkleFailure? Failure => this as MerkleFailure;
}
