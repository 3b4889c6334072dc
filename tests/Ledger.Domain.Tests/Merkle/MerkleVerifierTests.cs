using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Merkle;

/// <summary>Every way a proof can fail, with the evidence the failure carries. Uses the RFC 6962 test tree.</summary>
public sealed class MerkleVerifierTests
{
    private static Rfc6962Vectors V => Rfc6962Vectors.Instance;

    private static byte[] Leaf(int index) => V.Levels[0][index];

    private static byte[] Root(int size) => V.Roots[size];

    // Leaf 5 of 8: the proof is [leaf 4, node (1,3), node (2,0)].
    private static byte[][] Proof5Of8 => V.InclusionProofs[2].Proof;

    // Consistency 6 -> 8: [node (1,2), node (1,3), node (2,0)].
    private static byte[][] Proof6To8 => V.ConsistencyProofs[2].Proof;

    public static TheoryData<MerkleFailureCode> Codes => [.. Enum.GetValues<MerkleFailureCode>()];

    [Fact]
    public void Index_at_the_tree_size_is_out_of_range()
    {
        var failure = MerkleVerifier.VerifyInclusion(8, 8, Leaf(0), Proof5Of8, Root(8)).Failure.ShouldNotBeNull();

        failure.Code.ShouldBe(MerkleFailureCode.IndexOutOfRange);
        failure.CodeName.ShouldBe("merkle.index-out-of-range");
        failure.Proof.ShouldBe(MerkleProofKind.Inclusion);
        failure.Index.ShouldBe(8);
        failure.TreeSize.ShouldBe(8);
        failure.ProofLength.ShouldBe(3);
        failure.Message.ShouldBe("leaf index 8 is not in [0, 8) (inclusion of leaf 8 in tree size 8)");
    }

    [Fact]
    public void Negative_index_is_out_of_range()
    {
        MerkleVerifier.VerifyInclusion(-1, 8, Leaf(0), Proof5Of8, Root(8)).Failure!.Code.ShouldBe(MerkleFailureCode.IndexOutOfRange);
    }

    [Fact]
    public void Inclusion_in_the_empty_tree_is_out_of_range()
    {
        MerkleVerifier.VerifyInclusion(0, 0, Leaf(0), [], Root(0)).Failure!.Code.ShouldBe(MerkleFailureCode.IndexOutOfRange);
    }

    [Fact]
    public void Negative_tree_size_is_invalid()
    {
        var failure = MerkleVerifier.VerifyInclusion(0, -3, Leaf(0), [], Root(0)).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.InvalidTreeSize);
        failure.TreeSize.ShouldBe(-3);
    }

    [Fact]
    public void Leaf_hash_of_the_wrong_size_is_rejected()
    {
        var failure = MerkleVerifier.VerifyInclusion(5, 8, Leaf(5).AsSpan(0, 31), Proof5Of8, Root(8)).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.LeafHashSize);
        failure.Message.ShouldContain("31 bytes");
    }

    [Fact]
    public void Proof_hash_of_the_wrong_size_is_rejected_with_its_position()
    {
        var proof = Proof5Of8.ToArray();
        proof[1] = [.. proof[1], 0];

        var failure = MerkleVerifier.VerifyInclusion(5, 8, Leaf(5), proof, Root(8)).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.ProofHashSize);
        failure.ProofPosition.ShouldBe(1);
        failure.Message.ShouldContain("proof hash 1 has 33 bytes");
    }

    [Fact]
    public void Null_proof_hash_is_rejected_with_its_position()
    {
        var proof = Proof5Of8.ToArray();
        proof[2] = null!;

        var failure = MerkleVerifier.VerifyInclusion(5, 8, Leaf(5), proof, Root(8)).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.ProofHashSize);
        failure.ProofPosition.ShouldBe(2);
    }

    [Fact]
    public void Inclusion_proof_of_the_wrong_length_names_the_right_length()
    {
        var failure = MerkleVerifier.VerifyInclusion(5, 8, Leaf(5), [.. Proof5Of8, Proof5Of8[0]], Root(8)).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.ProofSize);
        failure.ProofLength.ShouldBe(4);
        failure.ExpectedProofLength.ShouldBe(3);
    }

    [Fact]
    public void Inclusion_of_the_wrong_leaf_is_a_root_mismatch_carrying_both_roots()
    {
        var failure = MerkleVerifier.VerifyInclusion(5, 8, Leaf(4), Proof5Of8, Root(8)).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.RootMismatch);
        failure.CodeName.ShouldBe("merkle.root-mismatch");
        failure.ExpectedHash.ShouldBe(Root(8));
        failure.CalculatedHash.ShouldNotBeNull().Length.ShouldBe(MerkleHash.Size);
        failure.CalculatedHash.ShouldNotBe(Root(8));
        failure.Message.ShouldContain(Hex.Encode(Root(8)));
        failure.Message.ShouldContain(Hex.Encode(failure.CalculatedHash));
        failure.ToString().ShouldStartWith("merkle.root-mismatch: calculated root ");
    }

    [Fact]
    public void Root_from_inclusion_proof_refuses_a_proof_of_the_wrong_length()
    {
        var error = Should.Throw<ArgumentException>(() => MerkleVerifier.RootFromInclusionProof(5, 8, Leaf(5), Proof5Of8[..2]));

        error.Message.ShouldContain("merkle.proof-size");
    }

    [Fact]
    public void Null_proof_list_is_a_bug_and_throws()
    {
        Should.Throw<ArgumentNullException>(() => MerkleVerifier.VerifyInclusion(0, 1, Leaf(0), null!, Root(1)));
        Should.Throw<ArgumentNullException>(() => MerkleVerifier.VerifyConsistency(1, 2, null!, Root(1), Root(2)));
        Should.Throw<ArgumentNullException>(() => MerkleVerifier.RootFromInclusionProof(0, 1, Leaf(0), null!));
        Should.Throw<ArgumentNullException>(() => MerkleVerifier.VerifySubtreeInclusion(0, 0, 1, Leaf(0), null!, Root(1)));
        Should.Throw<ArgumentNullException>(() => MerkleVerifier.VerifySubtreeConsistency(0, 1, 2, null!, Root(1), Root(2)));
    }

    [Fact]
    public void Consistency_to_a_smaller_tree_is_an_invalid_size()
    {
        var failure = MerkleVerifier.VerifyConsistency(8, 6, Proof6To8, Root(8), Root(6)).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.InvalidTreeSize);
        failure.Proof.ShouldBe(MerkleProofKind.Consistency);
        failure.FromSize.ShouldBe(8);
        failure.TreeSize.ShouldBe(6);
        failure.Message.ShouldContain("tree sizes 8 and 6");
    }

    [Fact]
    public void Consistency_from_a_negative_size_is_an_invalid_size()
    {
        MerkleVerifier.VerifyConsistency(-1, 6, Proof6To8, Root(8), Root(6)).Failure!.Code.ShouldBe(MerkleFailureCode.InvalidTreeSize);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Consistency_from_the_empty_tree_is_rejected(long size2)
    {
        MerkleVerifier.VerifyConsistency(0, size2, [], Root(0), Root((int)size2)).Failure!.Code
            .ShouldBe(MerkleFailureCode.ConsistencyFromEmptyTree);
    }

    [Fact]
    public void Consistency_between_equal_sizes_needs_an_empty_proof()
    {
        var failure = MerkleVerifier.VerifyConsistency(6, 6, [Leaf(0)], Root(6), Root(6)).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.ProofSize);
        failure.ExpectedProofLength.ShouldBe(0);
    }

    [Fact]
    public void Consistency_between_equal_sizes_needs_equal_roots()
    {
        var failure = MerkleVerifier.VerifyConsistency(6, 6, [], Root(6), Root(7)).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.RootMismatch);
        failure.ExpectedHash.ShouldBe(Root(7));
        failure.CalculatedHash.ShouldBe(Root(6));
    }

    [Fact]
    public void Consistency_between_equal_sizes_with_equal_roots_holds()
    {
        MerkleVerifier.VerifyConsistency(6, 6, [], Root(6), Root(6)).ShouldBe(MerkleCheck.Ok);
    }

    [Fact]
    public void Empty_consistency_proof_between_different_sizes_is_the_wrong_length()
    {
        var failure = MerkleVerifier.VerifyConsistency(6, 8, [], Root(6), Root(8)).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.ProofSize);
        failure.ExpectedProofLength.ShouldBe(3);
    }

    [Fact]
    public void Consistency_proof_that_does_not_reproduce_the_first_root_says_so()
    {
        var failure = MerkleVerifier.VerifyConsistency(6, 8, Proof6To8, Root(5), Root(8)).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.FirstRootMismatch);
        failure.CodeName.ShouldBe("merkle.first-root-mismatch");
        failure.ExpectedHash.ShouldBe(Root(5));
        failure.CalculatedHash.ShouldBe(Root(6));
        failure.Message.ShouldContain("first root");
    }

    [Fact]
    public void Consistency_proof_to_the_wrong_second_root_is_a_root_mismatch()
    {
        var failure = MerkleVerifier.VerifyConsistency(6, 8, Proof6To8, Root(6), Root(7)).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.RootMismatch);
        failure.ExpectedHash.ShouldBe(Root(7));
        failure.CalculatedHash.ShouldBe(Root(8));
        failure.Message.ShouldContain("second root");
    }

    [Fact]
    public void Subtree_inclusion_refuses_an_unaligned_subtree()
    {
        var failure = MerkleVerifier.VerifySubtreeInclusion(2, 1, 4, Leaf(2), [], Root(4)).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.InvalidSubtree);
        failure.Proof.ShouldBe(MerkleProofKind.SubtreeInclusion);
        failure.SubtreeStart.ShouldBe(1);
        failure.SubtreeEnd.ShouldBe(4);
    }

    [Fact]
    public void Subtree_inclusion_refuses_an_index_outside_the_subtree()
    {
        var failure = MerkleVerifier.VerifySubtreeInclusion(3, 4, 8, Leaf(3), [], V.Levels[2][1]).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.IndexOutOfRange);
        failure.Index.ShouldBe(3);
        failure.Message.ShouldContain("not in [4, 8)");
    }

    [Fact]
    public void Subtree_inclusion_of_a_leaf_in_the_right_half_verifies_against_that_half()
    {
        var proof = new[] { Leaf(4), V.Levels[1][3] };

        MerkleVerifier.VerifySubtreeInclusion(5, 4, 8, Leaf(5), proof, V.Levels[2][1]).ShouldBe(MerkleCheck.Ok);
        MerkleVerifier.VerifySubtreeInclusion(5, 4, 8, Leaf(5), proof, V.Levels[2][0]).Failure!.Code.ShouldBe(MerkleFailureCode.RootMismatch);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(2, 5)]
    [InlineData(-2, 2)]
    public void Subtree_consistency_refuses_an_empty_or_unaligned_subtree(long start, long end)
    {
        MerkleVerifier.VerifySubtreeConsistency(start, end, 8, [], Root(1), Root(8)).Failure!.Code.ShouldBe(MerkleFailureCode.InvalidSubtree);
    }

    [Fact]
    public void Subtree_consistency_refuses_a_subtree_past_the_tree()
    {
        var failure = MerkleVerifier.VerifySubtreeConsistency(4, 8, 6, [], V.Levels[2][1], Root(6)).Failure!;

        failure.Code.ShouldBe(MerkleFailureCode.InvalidTreeSize);
        failure.TreeSize.ShouldBe(6);
    }

    [Fact]
    public void Subtree_consistency_of_the_whole_tree_needs_an_empty_proof_and_equal_roots()
    {
        MerkleVerifier.VerifySubtreeConsistency(0, 8, 8, [], Root(8), Root(8)).ShouldBe(MerkleCheck.Ok);
        MerkleVerifier.VerifySubtreeConsistency(0, 8, 8, [Leaf(0)], Root(8), Root(8)).Failure!.Code.ShouldBe(MerkleFailureCode.ProofSize);
        MerkleVerifier.VerifySubtreeConsistency(0, 8, 8, [], Root(7), Root(8)).Failure!.Code.ShouldBe(MerkleFailureCode.RootMismatch);
    }

    [Fact]
    public void Subtree_consistency_of_the_right_half_needs_the_left_half()
    {
        MerkleVerifier.VerifySubtreeConsistency(4, 8, 8, [V.Levels[2][0]], V.Levels[2][1], Root(8)).ShouldBe(MerkleCheck.Ok);
        MerkleVerifier.VerifySubtreeConsistency(4, 8, 8, [], V.Levels[2][1], Root(8)).Failure!.ExpectedProofLength.ShouldBe(1);
    }

    [Fact]
    public void Subtree_consistency_with_the_wrong_subtree_root_says_which_root_failed()
    {
        // [4, 7) is not perfect, so the proof's nodes inside it must rebuild its root.
        var plan = MerkleProofs.SubtreeConsistency(4, 7, 8);
        plan.Nodes.ShouldBe([new(0, 6), new(0, 7), new(1, 2), new(2, 0)]);
        var proof = new[] { Leaf(6), Leaf(7), V.Levels[1][2], V.Levels[2][0] };
        var subtreeRoot = MerkleHash.HashChildren(V.Levels[1][2], Leaf(6));

        MerkleVerifier.VerifySubtreeConsistency(4, 7, 8, proof, subtreeRoot, Root(8)).ShouldBe(MerkleCheck.Ok);
        var failure = MerkleVerifier.VerifySubtreeConsistency(4, 7, 8, proof, Root(7), Root(8)).Failure!;
        failure.Code.ShouldBe(MerkleFailureCode.FirstRootMismatch);
        failure.Message.ShouldContain("subtree root");
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void Every_failure_code_has_its_own_stable_name(MerkleFailureCode code)
    {
        var name = MerkleFailure.NameOf(code);

        name.ShouldStartWith("merkle.");
        Enum.GetValues<MerkleFailureCode>().Where(c => c != code).Select(MerkleFailure.NameOf).ShouldNotContain(name);
    }

    [Fact]
    public void Ok_is_a_single_valid_value_without_failure()
    {
        MerkleCheck.Ok.IsValid.ShouldBeTrue();
        MerkleCheck.Ok.Failure.ShouldBeNull();
        MerkleCheck.Ok.ShouldBeSameAs(MerkleCheck.Ok);
        MerkleCheck.Ok.ToString().ShouldBe("ok");
    }
}
