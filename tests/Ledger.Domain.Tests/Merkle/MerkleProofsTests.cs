using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Merkle;

public sealed class MerkleProofsTests
{
    [Fact]
    public void Inclusion_plan_in_a_perfect_tree_lists_the_siblings_bottom_up()
    {
        var plan = MerkleProofs.Inclusion(5, 8);

        plan.Nodes.ShouldBe([new(0, 4), new(1, 3), new(2, 0)]);
        plan.ProofLength.ShouldBe(3);
    }

    [Fact]
    public void Inclusion_plan_lists_the_complete_parts_of_the_ephemeral_node_lowest_first()
    {
        // In a tree of 7 leaves the sibling of node (2,0) covers [4, 7): nodes (0,6) and (1,2), which Rehash folds.
        var plan = MerkleProofs.Inclusion(0, 7);

        plan.Nodes.ShouldBe([new(0, 1), new(1, 1), new(0, 6), new(1, 2)]);
        plan.ProofLength.ShouldBe(3);
        plan.Ephemeral.ShouldBe(2..4);
    }

    [Fact]
    public void Rehash_folds_the_ephemeral_node_and_passes_the_others_through()
    {
        var plan = MerkleProofs.Inclusion(0, 7);
        var hashes = Enumerable.Range(1, 4).Select(i => MerkleHash.HashLeaf([(byte)i])).ToArray();
        var before = Hex.EncodeAll(hashes);

        var proof = plan.Rehash(hashes);

        Hex.EncodeAll(proof).ShouldBe([
            Hex.Encode(hashes[0]),
            Hex.Encode(hashes[1]),
            Hex.Encode(MerkleHash.HashChildren(hashes[3], hashes[2])),
        ]);
        Hex.EncodeAll(hashes).ShouldBe(before);
        proof[0].ShouldNotBeSameAs(hashes[0]);
    }

    [Fact]
    public void Inclusion_in_a_single_leaf_tree_needs_no_node()
    {
        MerkleProofs.Inclusion(0, 1).Nodes.ShouldBeEmpty();
    }

    [Fact]
    public void Consistency_between_equal_sizes_needs_no_node()
    {
        MerkleProofs.Consistency(5, 5).Nodes.ShouldBeEmpty();
    }

    [Fact]
    public void Consistency_from_a_perfect_size_omits_the_old_root()
    {
        MerkleProofs.Consistency(4, 8).Nodes.ShouldBe([new(2, 1)]);
    }

    [Fact]
    public void Consistency_from_an_imperfect_size_starts_with_its_rightmost_perfect_subtree()
    {
        MerkleProofs.Consistency(6, 8).Nodes.ShouldBe([new(1, 2), new(1, 3), new(2, 0)]);
    }

    [Fact]
    public void Plans_work_at_the_largest_tree_size()
    {
        var plan = MerkleProofs.Inclusion(long.MaxValue - 1, long.MaxValue);

        plan.Nodes.Count.ShouldBe(62);
        plan.Nodes.ShouldAllBe(n => n.End <= long.MaxValue - 1);
        MerkleProofs.Consistency(1L << 62, long.MaxValue).Nodes.Count.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData(-1, 5)]
    [InlineData(5, 5)]
    [InlineData(0, 0)]
    public void Inclusion_plan_refuses_an_index_outside_the_tree(long index, long size)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => MerkleProofs.Inclusion(index, size));
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(-1, 5)]
    [InlineData(6, 5)]
    public void Consistency_plan_refuses_sizes_outside_0_below_size1_up_to_size2(long size1, long size2)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => MerkleProofs.Consistency(size1, size2));
    }

    [Fact]
    public void Subtree_plans_refuse_an_unaligned_subtree()
    {
        Should.Throw<ArgumentException>(() => MerkleProofs.SubtreeInclusion(2, 1, 4)).Message.ShouldContain("[1, 4) is not a subtree");
        Should.Throw<ArgumentException>(() => MerkleProofs.SubtreeConsistency(1, 4, 8));
    }

    [Theory]
    [InlineData(3, 4, 8)]
    [InlineData(8, 4, 8)]
    [InlineData(0, -4, 0)]
    public void Subtree_inclusion_plan_refuses_an_index_outside_the_subtree(long index, long start, long end)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => MerkleProofs.SubtreeInclusion(index, start, end));
    }

    [Theory]
    [InlineData(4, 4, 8)]
    [InlineData(4, 8, 6)]
    [InlineData(4, 2, 8)]
    public void Subtree_consistency_plan_refuses_an_empty_subtree_or_one_past_the_tree(long start, long end, long size)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => MerkleProofs.SubtreeConsistency(start, end, size));
    }

    [Fact]
    public void Subtree_inclusion_plan_is_the_inclusion_plan_shifted_to_the_subtree()
    {
        MerkleProofs.SubtreeInclusion(13, 8, 16).Nodes.ShouldBe([new(0, 12), new(1, 7), new(2, 2)]);
    }

    [Fact]
    public void Rehash_refuses_the_wrong_number_of_hashes()
    {
        var plan = MerkleProofs.Inclusion(0, 7);

        var error = Should.Throw<ArgumentException>(() => plan.Rehash([new byte[32]]));
        error.Message.ShouldContain("Got 1 node hashes; the plan lists 4 nodes.");
    }

    [Fact]
    public void Rehash_refuses_a_hash_of_the_wrong_size()
    {
        var plan = MerkleProofs.Inclusion(0, 2);

        Should.Throw<ArgumentException>(() => plan.Rehash([new byte[20]])).Message.ShouldContain("20 bytes");
    }

    [Fact]
    public void Rehash_refuses_null()
    {
        var plan = MerkleProofs.Inclusion(0, 2);

        Should.Throw<ArgumentNullException>(() => plan.Rehash(null!));
        Should.Throw<ArgumentNullException>(() => plan.Rehash([null!]));
    }
}
