using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Merkle;

/// <summary>Every value of the RFC 6962 test tree (<c>tests/vectors/rfc6962.json</c>), one case each.</summary>
public sealed class Rfc6962VectorTests
{
    private static Rfc6962Vectors V => Rfc6962Vectors.Instance;

    public static TheoryData<int> LeafIndexes => [.. Enumerable.Range(0, Rfc6962Vectors.Instance.LeafInputs.Length)];

    public static TheoryData<int, int> Nodes
    {
        get
        {
            var data = new TheoryData<int, int>();
            for (var level = 0; level < V.Levels.Length; level++)
            {
                for (var index = 0; index < V.Levels[level].Length; index++)
                {
                    data.Add(level, index);
                }
            }

            return data;
        }
    }

    public static TheoryData<int> Sizes => [.. Enumerable.Range(0, Rfc6962Vectors.Instance.Roots.Length)];

    public static TheoryData<int> InclusionCases => [.. Enumerable.Range(0, Rfc6962Vectors.Instance.InclusionProofs.Length)];

    public static TheoryData<int> ConsistencyCases => [.. Enumerable.Range(0, Rfc6962Vectors.Instance.ConsistencyProofs.Length)];

    [Fact]
    public void The_vector_file_holds_the_whole_eight_leaf_tree()
    {
        V.LeafInputs.Length.ShouldBe(8);
        V.Levels.Select(l => l.Length).ShouldBe([8, 4, 2, 1]);
        V.Roots.Length.ShouldBe(9);
        V.InclusionProofs.Length.ShouldBe(5);
        V.ConsistencyProofs.Length.ShouldBe(5);
    }

    [Theory]
    [MemberData(nameof(LeafIndexes))]
    public void Leaf_hash_matches_the_vector(int index)
    {
        Hex.Encode(MerkleHash.HashLeaf(V.LeafInputs[index])).ShouldBe(Hex.Encode(V.Levels[0][index]));
    }

    [Theory]
    [MemberData(nameof(Nodes))]
    public void Complete_subtree_hash_matches_the_vector(int level, int index)
    {
        var tree = FullTree();
        var node = new NodeId(level, index);

        Hex.Encode(tree.NodeHash(node)).ShouldBe(Hex.Encode(V.Levels[level][index]));
        Hex.Encode(NaiveMerkle.Mth(LeafHashes().AsSpan((int)node.Begin, (int)node.LeafCount))).ShouldBe(Hex.Encode(V.Levels[level][index]));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Root_at_each_size_matches_the_vector(int size)
    {
        var expected = Hex.Encode(V.Roots[size]);
        var range = new CompactRange();
        foreach (var leaf in LeafHashes().Take(size))
        {
            range.Append(leaf);
        }

        Hex.Encode(FullTree().Root(size)).ShouldBe(expected);
        Hex.Encode(range.Root()).ShouldBe(expected);
        Hex.Encode(NaiveMerkle.Mth(LeafHashes().AsSpan(0, size))).ShouldBe(expected);
    }

    [Theory]
    [MemberData(nameof(InclusionCases))]
    public void Inclusion_proof_is_generated_as_the_vector_and_verifies(int number)
    {
        var (index, size, expected) = V.InclusionProofs[number];
        var leafHash = V.Levels[0][index];

        Hex.EncodeAll(FullTree().InclusionProof(index, size)).ShouldBe(Hex.EncodeAll(expected));
        MerkleVerifier.VerifyInclusion(index, size, leafHash, expected, V.Roots[size]).ShouldBe(MerkleCheck.Ok);
        Hex.Encode(MerkleVerifier.RootFromInclusionProof(index, size, leafHash, expected)).ShouldBe(Hex.Encode(V.Roots[size]));
    }

    [Theory]
    [MemberData(nameof(ConsistencyCases))]
    public void Consistency_proof_is_generated_as_the_vector_and_verifies(int number)
    {
        var (size1, size2, expected) = V.ConsistencyProofs[number];

        Hex.EncodeAll(FullTree().ConsistencyProof(size1, size2)).ShouldBe(Hex.EncodeAll(expected));
        MerkleVerifier.VerifyConsistency(size1, size2, expected, V.Roots[size1], V.Roots[size2]).ShouldBe(MerkleCheck.Ok);
    }

    private static byte[][] LeafHashes() => [.. V.LeafInputs.Select(input => MerkleHash.HashLeaf(input))];

    private static MerkleTree FullTree()
    {
        var tree = new MerkleTree();
        foreach (var input in V.LeafInputs)
        {
            tree.AppendEntry(input);
        }

        return tree;
    }
}
