using FsCheck;
using FsCheck.Fluent;
using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Merkle;

/// <summary>Random trees of up to 1,000 leaves checked against the recursive RFC 6962 definitions.</summary>
public sealed class MerklePropertyTests
{
    private const int MaxLeaves = 1000;

    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(100);

    /// <summary>A tree size, a seed for its entries, and two free numbers to pick indexes and sizes from.</summary>
    private static Arbitrary<(int Size, int Seed, int A, int B)> Cases(int minSize) =>
        (from size in Gen.Choose(minSize, MaxLeaves)
         from seed in Gen.Choose(0, int.MaxValue)
         from a in Gen.Choose(0, int.MaxValue)
         from b in Gen.Choose(0, int.MaxValue)
         select (size, seed, a, b)).ToArbitrary();

    [Fact]
    public void Root_equals_the_recursive_MTH_at_the_full_size_and_at_a_random_earlier_size()
    {
        Check.One(Quick, Prop.ForAll(Cases(0), c =>
        {
            var t = new RandomTree(c.Size, c.Seed);
            var earlier = c.A % (c.Size + 1);
            return t.Tree.Root().SequenceEqual(NaiveMerkle.Mth(t.Leaves))
                && t.Tree.Root(earlier).SequenceEqual(NaiveMerkle.Mth(t.Prefix(earlier)));
        }));
    }

    [Fact]
    public void Generated_inclusion_proof_is_the_RFC_audit_path_and_verifies()
    {
        Check.One(Quick, Prop.ForAll(Cases(1), c =>
        {
            var t = new RandomTree(c.Size, c.Seed);
            var size = 1 + (c.A % c.Size);
            var index = c.B % size;
            var proof = t.Tree.InclusionProof(index, size);
            var root = t.Tree.Root(size);

            return Same(proof, NaiveMerkle.Path(index, t.Prefix(size)))
                && MerkleVerifier.VerifyInclusion(index, size, t.Leaves[index], proof, root).IsValid
                && MerkleVerifier.RootFromInclusionProof(index, size, t.Leaves[index], proof).SequenceEqual(root);
        }));
    }

    [Fact]
    public void Generated_consistency_proof_is_the_RFC_proof_and_verifies()
    {
        Check.One(Quick, Prop.ForAll(Cases(1), c =>
        {
            var t = new RandomTree(c.Size, c.Seed);
            var size2 = 1 + (c.A % c.Size);
            var size1 = 1 + (c.B % size2);
            var proof = t.Tree.ConsistencyProof(size1, size2);

            return Same(proof, NaiveMerkle.Proof(size1, t.Prefix(size2)))
                && MerkleVerifier.VerifyConsistency(size1, size2, proof, t.Tree.Root(size1), t.Tree.Root(size2)).IsValid;
        }));
    }

    [Fact]
    public void Inclusion_proof_with_any_single_bit_flipped_fails()
    {
        Check.One(Quick, Prop.ForAll(Cases(2), c =>
        {
            var t = new RandomTree(c.Size, c.Seed);
            var index = c.A % c.Size;
            var proof = Flip(t.Tree.InclusionProof(index, c.Size), c.B);

            var check = MerkleVerifier.VerifyInclusion(index, c.Size, t.Leaves[index], proof, t.Tree.Root());
            return check.Failure?.Code == MerkleFailureCode.RootMismatch;
        }));
    }

    [Fact]
    public void Inclusion_proof_truncated_or_with_a_hash_removed_fails()
    {
        Check.One(Quick, Prop.ForAll(Cases(2), c =>
        {
            var t = new RandomTree(c.Size, c.Seed);
            var index = c.A % c.Size;
            var proof = t.Tree.InclusionProof(index, c.Size).ToList();
            var truncated = proof.Take(c.B % proof.Count).ToList();
            var removed = proof.Where((_, i) => i != c.B % proof.Count).ToList();

            return MerkleVerifier.VerifyInclusion(index, c.Size, t.Leaves[index], truncated, t.Tree.Root()).Failure?.Code == MerkleFailureCode.ProofSize
                && MerkleVerifier.VerifyInclusion(index, c.Size, t.Leaves[index], removed, t.Tree.Root()).Failure?.Code == MerkleFailureCode.ProofSize;
        }));
    }

    [Fact]
    public void Consistency_proof_with_any_single_bit_flipped_fails()
    {
        Check.One(Quick, Prop.ForAll(Cases(2), c =>
        {
            var t = new RandomTree(c.Size, c.Seed);
            var size1 = 1 + (c.A % (c.Size - 1));
            var proof = Flip(t.Tree.ConsistencyProof(size1, c.Size), c.B);

            var check = MerkleVerifier.VerifyConsistency(size1, c.Size, proof, t.Tree.Root(size1), t.Tree.Root());
            return check.Failure?.Code is MerkleFailureCode.RootMismatch or MerkleFailureCode.FirstRootMismatch;
        }));
    }

    [Fact]
    public void Consistency_proof_truncated_or_with_a_hash_removed_fails()
    {
        Check.One(Quick, Prop.ForAll(Cases(2), c =>
        {
            var t = new RandomTree(c.Size, c.Seed);
            var size1 = 1 + (c.A % (c.Size - 1));
            var proof = t.Tree.ConsistencyProof(size1, c.Size).ToList();
            var truncated = proof.Take(c.B % proof.Count).ToList();
            var removed = proof.Where((_, i) => i != c.B % proof.Count).ToList();

            return MerkleVerifier.VerifyConsistency(size1, c.Size, truncated, t.Tree.Root(size1), t.Tree.Root()).Failure?.Code == MerkleFailureCode.ProofSize
                && MerkleVerifier.VerifyConsistency(size1, c.Size, removed, t.Tree.Root(size1), t.Tree.Root()).Failure?.Code == MerkleFailureCode.ProofSize;
        }));
    }

    [Fact]
    public void Consistency_proof_fails_against_a_first_root_from_another_tree()
    {
        Check.One(Quick, Prop.ForAll(Cases(2), c =>
        {
            var t = new RandomTree(c.Size, c.Seed);
            var other = new RandomTree(c.Size, c.Seed ^ 0x5a5a5a5a);
            var size1 = 1 + (c.A % (c.Size - 1));
            var proof = t.Tree.ConsistencyProof(size1, c.Size);

            return !MerkleVerifier.VerifyConsistency(size1, c.Size, proof, other.Tree.Root(size1), t.Tree.Root()).IsValid;
        }));
    }

    [Fact]
    public void Every_planned_node_is_a_complete_subtree_of_the_tree_and_the_plan_yields_the_proof_length()
    {
        Check.One(Quick, Prop.ForAll(Cases(1), c =>
        {
            var size2 = (long)c.Size;
            var size1 = 1 + (c.A % size2);
            var index = c.B % size2;
            var plans = new[] { MerkleProofs.Inclusion(index, size2), MerkleProofs.Consistency(size1, size2) };
            return plans.All(plan =>
                plan.Nodes.All(n => n.End <= size2)
                && plan.Rehash([.. plan.Nodes.Select(_ => new byte[MerkleHash.Size])]).Count == plan.ProofLength);
        }));
    }

    [Fact]
    public void Subtree_inclusion_and_consistency_proofs_built_from_plans_verify_and_fail_when_flipped()
    {
        Check.One(Quick, Prop.ForAll(Cases(1), c =>
        {
            var t = new RandomTree(c.Size, c.Seed);
            var (start, end) = AlignedSubtree(c.Size, c.A);
            var index = start + (c.B % (end - start));
            var subtreeRoot = NaiveMerkle.Mth(t.Slice(start, end));

            var inclusion = Build(t, MerkleProofs.SubtreeInclusion(index, start, end));
            var consistency = Build(t, MerkleProofs.SubtreeConsistency(start, end, c.Size));

            var included = MerkleVerifier.VerifySubtreeInclusion(index, start, end, t.Leaves[index], inclusion, subtreeRoot).IsValid;
            var consistent = MerkleVerifier.VerifySubtreeConsistency(start, end, c.Size, consistency, subtreeRoot, t.Tree.Root()).IsValid;
            var flippedInclusion = inclusion.Count == 0
                || !MerkleVerifier.VerifySubtreeInclusion(index, start, end, t.Leaves[index], Flip(inclusion, c.B), subtreeRoot).IsValid;
            var flippedConsistency = consistency.Count == 0
                || !MerkleVerifier.VerifySubtreeConsistency(start, end, c.Size, Flip(consistency, c.B), subtreeRoot, t.Tree.Root()).IsValid;
            return included && consistent && flippedInclusion && flippedConsistency;
        }));
    }

    /// <summary>A non-empty subtree [start, end) of a tree of the given size, start aligned as subtrees require.</summary>
    private static (long Start, long End) AlignedSubtree(int size, int pick)
    {
        var length = 1 + (pick % size);
        var ceiling = 1;
        while (ceiling < length)
        {
            ceiling *= 2;
        }

        var slots = (size - length) / ceiling;
        long start = (long)(pick / size % (slots + 1)) * ceiling;
        return (start, start + length);
    }

    private static List<byte[]> Build(RandomTree t, ProofPlan plan) =>
        [.. plan.Rehash([.. plan.Nodes.Select(t.Tree.NodeHash)])];

    /// <summary>A copy of the proof with one bit flipped, chosen by <paramref name="pick"/>.</summary>
    private static List<byte[]> Flip(IReadOnlyList<byte[]> proof, int pick)
    {
        var copy = proof.Select(h => (byte[])h.Clone()).ToList();
        var bit = pick % (copy.Count * MerkleHash.Size * 8);
        copy[bit / (MerkleHash.Size * 8)][bit / 8 % MerkleHash.Size] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    private static bool Same(IReadOnlyList<byte[]> actual, List<byte[]> expected) =>
        actual.Count == expected.Count && actual.Zip(expected).All(p => p.First.SequenceEqual(p.Second));
}
