using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Merkle;

public sealed class MerkleTreeTests
{
    [Fact]
    public void Empty_tree_has_the_empty_root()
    {
        var tree = new MerkleTree();

        tree.Size.ShouldBe(0);
        tree.Root().ShouldBe(MerkleHash.EmptyRoot());
        tree.Root(0).ShouldBe(MerkleHash.EmptyRoot());
    }

    [Fact]
    public void Appending_an_entry_returns_its_leaf_hash_and_stores_it()
    {
        var tree = new MerkleTree();

        var leafHash = tree.AppendEntry([1, 2, 3]);

        leafHash.ShouldBe(MerkleHash.HashLeaf([1, 2, 3]));
        tree.LeafHash(0).ShouldBe(leafHash);
        tree.Root().ShouldBe(leafHash);
    }

    [Fact]
    public void Returned_hashes_are_copies()
    {
        var tree = new MerkleTree();
        tree.AppendEntry([1]);

        tree.LeafHash(0)[0] ^= 0xff;

        tree.LeafHash(0).ShouldBe(MerkleHash.HashLeaf([1]));
    }

    [Fact]
    public void Root_beyond_the_tree_size_is_refused()
    {
        var tree = Tree(3);

        Should.Throw<ArgumentOutOfRangeException>(() => tree.Root(4));
        Should.Throw<ArgumentOutOfRangeException>(() => tree.Root(-1));
    }

    [Fact]
    public void Incomplete_node_is_refused()
    {
        var tree = Tree(3);

        Should.Throw<ArgumentOutOfRangeException>(() => tree.NodeHash(new NodeId(1, 1))).Message.ShouldContain("[2, 4)");
        Should.Throw<ArgumentOutOfRangeException>(() => tree.NodeHash(new NodeId(2, 0)));
        Should.Throw<ArgumentOutOfRangeException>(() => tree.LeafHash(3));
        Should.Throw<ArgumentOutOfRangeException>(() => tree.LeafHash(-1));
    }

    [Fact]
    public void Proofs_beyond_the_tree_size_are_refused()
    {
        var tree = Tree(3);

        Should.Throw<ArgumentOutOfRangeException>(() => tree.InclusionProof(0, 4));
        Should.Throw<ArgumentOutOfRangeException>(() => tree.InclusionProof(3, 3));
        Should.Throw<ArgumentOutOfRangeException>(() => tree.ConsistencyProof(1, 4));
        Should.Throw<ArgumentOutOfRangeException>(() => tree.ConsistencyProof(0, 3));
    }

    [Fact]
    public void Leaf_hash_of_the_wrong_size_is_refused()
    {
        Should.Throw<ArgumentException>(() => new MerkleTree().Append(new byte[3]));
    }

    private static MerkleTree Tree(int size)
    {
        var tree = new MerkleTree();
        for (var i = 0; i < size; i++)
        {
            tree.AppendEntry([(byte)i]);
        }

        return tree;
    }
}
