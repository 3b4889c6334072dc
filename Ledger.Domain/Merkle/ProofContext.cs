using System.Globalization;

namespace Ledger.Domain.Merkle;

/// <summary>The arguments of one verification, kept to describe a failure.</summary>
internal readonly record struct ProofContext(
    MerkleProofKind Kind,
    long? Index,
    long? TreeSize,
    long? FromSize,
    long? SubtreeStart,
    long? SubtreeEnd,
    int ProofLength)
{
    public static ProofContext Inclusion(long index, long size, int proofLength) =>
        new(MerkleProofKind.Inclusion, index, size, null, null, null, proofLength);

    public static ProofContext Consistency(long size1, long size2, int proofLength) =>
        new(MerkleProofKind.Consistency, null, size2, size1, null, null, proofLength);

    public static ProofContext SubtreeInclusion(long index, long start, long end, int proofLength) =>
        new(MerkleProofKind.SubtreeInclusion, index, null, null, start, end, proofLength);

    public static ProofContext SubtreeConsistency(long start, long end, long size, int proofLength) =>
        new(MerkleProofKind.SubtreeConsistency, null, size, null, start, end, proofLength);

    /// <summary>"inclusion of leaf 3 in tree size 8" and the like.</summary>
    public string Describe() => Kind switch
    {
        MerkleProofKind.Inclusion => Format($"inclusion of leaf {Index} in tree size {TreeSize}"),
        MerkleProofKind.Consistency => Format($"consistency from tree size {FromSize} to {TreeSize}"),
        MerkleProofKind.SubtreeInclusion => Format($"inclusion of leaf {Index} in subtree [{SubtreeStart}, {SubtreeEnd})"),
        MerkleProofKind.SubtreeConsistency => Format($"consistency of subtree [{SubtreeStart}, {SubtreeEnd}) with tree size {TreeSize}"),
        _ => throw new System.Diagnostics.UnreachableException($"Unknown proof kind {Kind}."),
    };

    public MerkleFailure Fail(MerkleFailureCode code, FormattableString detail) =>
        new(code, Format(detail) + " (" + Describe() + ")", this);

    public MerkleFailure ProofSize(int expected) =>
        Fail(MerkleFailureCode.ProofSize, $"the proof has {ProofLength} hashes; it must have exactly {expected}")
        with
        { ExpectedProofLength = expected };

    public MerkleFailure Mismatch(MerkleFailureCode code, string what, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> calculated) =>
        Fail(code, $"calculated {what} {Convert.ToHexStringLower(calculated)} does not match expected {what} {Convert.ToHexStringLower(expected)}")
        with
        { ExpectedHash = expected.ToArray(), CalculatedHash = calculated.ToArray() };

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
