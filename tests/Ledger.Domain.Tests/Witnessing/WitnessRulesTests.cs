using System.Text;
using Ledger.Domain.Crypto;
using Ledger.Domain.Federation;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;
using Ledger.Domain.Witnessing;

namespace Ledger.Domain.Tests.Witnessing;

public sealed class WitnessRulesTests : IDisposable
{
    private readonly Ed25519SigningKey _key = SigningKey.GenerateEd25519();
    private readonly NoteSigner _signer;

    public WitnessRulesTests() => _signer = NoteSigner.Create("example.com/log", _key);

    private static MerkleTree Tree(string label, int size, MerkleTree? prefix = null)
    {
        var tree = new MerkleTree();
        for (var i = 0; i < size; i++)
        {
            tree.AppendEntry(Encoding.UTF8.GetBytes(i < 3 ? $"shared-{i}" : $"{label}-{i}"));
        }

        return tree;
    }

    private string Note(MerkleTree tree, long size) => new Checkpoint("example.com/log", size, tree.Root(size)).Sign(_signer).Format();

    private WitnessedHead Held(MerkleTree tree, long size) => new(size, tree.Root(size), Note(tree, size));

    private AddCheckpointRequest Request(long old, MerkleTree tree, long size) =>
        AddCheckpointRequest.Parse(AddCheckpointRequest.Format(old, old == 0 || old == size ? [] : tree.ConsistencyProof(old, size), Note(tree, size)));

    [Fact]
    public void A_consistent_checkpoint_from_the_held_size_is_accepted()
    {
        var a = Tree("a", 9);
        WitnessRules.Check(Request(5, a, 9), Held(a, 5)).ShouldBeOfType<WitnessVerdict.Accept>();
        WitnessRules.Check(Request(0, a, 9), null).ShouldBeOfType<WitnessVerdict.Accept>();
    }

    [Fact]
    public void A_fork_proven_by_its_own_proof_carries_the_evidence()
    {
        var a = Tree("a", 5);
        var b = Tree("b", 9);

        var verdict = WitnessRules.Check(Request(5, b, 9), Held(a, 5));

        verdict.ShouldBeOfType<WitnessVerdict.InconsistentProof>().Status.ShouldBe(422);
        var split = verdict.SplitView.ShouldNotBeNull();
        split.Kind.ShouldBe(SplitViewKind.ProvenInconsistent);
        split.Proof.Count.ShouldBe(b.ConsistencyProof(5, 9).Count);
    }

    [Fact]
    public void A_garbage_proof_is_refused_without_evidence()
    {
        var a = Tree("a", 9);
        var proof = a.ConsistencyProof(5, 9).Select(h => (byte[])h.Clone()).ToList();
        proof[^1][0] ^= 1;
        var request = AddCheckpointRequest.Parse(AddCheckpointRequest.Format(5, proof, Note(a, 9)));

        var verdict = WitnessRules.Check(request, Held(a, 5));

        verdict.ShouldBeOfType<WitnessVerdict.InconsistentProof>();
        verdict.SplitView.ShouldBeNull();
    }

    [Fact]
    public void The_same_size_with_another_root_is_a_split_view_whatever_old_size_is_claimed()
    {
        var a = Tree("a", 5);
        var b = Tree("b", 5);

        WitnessRules.Check(Request(5, b, 5), Held(a, 5)).ShouldBeOfType<WitnessVerdict.RootMismatch>().SplitView!.Kind.ShouldBe(SplitViewKind.SameSizeDifferentRoot);
        var conflict = WitnessRules.Check(Request(0, b, 5), Held(a, 5)).ShouldBeOfType<WitnessVerdict.OldSizeMismatch>();
        conflict.LatestSize.ShouldBe(5);
        conflict.SplitView.ShouldNotBeNull();
    }

    [Fact]
    public void Old_size_rules_come_in_the_order_of_the_specification()
    {
        var a = Tree("a", 9);
        WitnessRules.Check(AddCheckpointRequest.Parse(AddCheckpointRequest.Format(10, [], Note(a, 9))), Held(a, 5)).Status.ShouldBe(400);
        WitnessRules.Check(Request(4, a, 9), Held(a, 5)).ShouldBeOfType<WitnessVerdict.OldSizeMismatch>().LatestSize.ShouldBe(5);
        WitnessRules.Check(AddCheckpointRequest.Parse(AddCheckpointRequest.Format(0, [new byte[32]], Note(a, 9))), null).ShouldBeOfType<WitnessVerdict.ProofFromEmptyTree>();
        var empty = new Checkpoint("example.com/log", 0, new byte[32]).Sign(_signer).Format();
        WitnessRules.Check(AddCheckpointRequest.Parse(AddCheckpointRequest.Format(0, [], empty)), null).ShouldBeOfType<WitnessVerdict.BadEmptyTree>();
    }

    [Theory]
    [InlineData("old 01\n\nx")]
    [InlineData("old -1\n\nx")]
    [InlineData("old 1")]
    [InlineData("old 1\nAAAA")]
    [InlineData("old 1\n!!!!\n\nx")]
    public void Malformed_bodies_are_refused_with_a_reason(string body) =>
        Should.Throw<FormatException>(() => AddCheckpointRequest.Parse(body)).Message.ShouldNotBeNullOrEmpty();

    [Fact]
    public void At_most_63_proof_lines_are_read()
    {
        var a = Tree("a", 9);
        var line = Convert.ToBase64String(new byte[32]) + "\n";
        AddCheckpointRequest.Parse("old 1\n" + string.Concat(Enumerable.Repeat(line, 63)) + "\n" + Note(a, 9)).Proof.Count.ShouldBe(63);
        Should.Throw<FormatException>(() => AddCheckpointRequest.Parse("old 1\n" + string.Concat(Enumerable.Repeat(line, 64)) + "\n" + Note(a, 9)));
    }

    public void Dispose()
    {
        _signer.Dispose();
        _key.Dispose();
    }
}
