using Ledger.Domain.Merkle;
using Ledger.Store.Tiles;

namespace Ledger.Store.Tests;

public sealed class TileTreeTests
{
    // Three full level-0 tiles and a fourth of 100 hashes.
    private const int Leaves = (3 * 256) + 100;

    private static readonly MerkleTree Tree = Build(Leaves);

    [Theory]
    [InlineData(0, false)]
    [InlineData(2, false)]
    [InlineData(0, true)]
    [InlineData(2, true)]
    public void Every_node_of_a_full_tile_is_the_trees_node(long tileIndex, bool lazy)
    {
        var key = new TileKey(0, tileIndex);
        var tree = lazy ? TileTree.Lazy(key, TileBytes(tileIndex, 256)) : TileTree.Expand(key, TileBytes(tileIndex, 256));

        tree.IsFull.ShouldBeTrue();
        for (var k = 0; k < TileLayout.Height; k++)
        {
            for (long i = 0; i < 256 >> k; i++)
            {
                var node = new NodeId(k, (tileIndex * (256 >> k)) + i);
                tree.Hash(node).ShouldBe(Tree.NodeHash(node), $"level {k}, index {node.Index}");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_partial_tile_gives_its_complete_nodes_and_refuses_the_rest_as_incomplete_tiles(bool lazy)
    {
        var tree = lazy ? TileTree.Lazy(new TileKey(0, 3), TileBytes(3, 100)) : TileTree.Expand(new TileKey(0, 3), TileBytes(3, 100));

        tree.IsFull.ShouldBeFalse();
        tree.Width.ShouldBe(100);
        // 100 hashes: 25 complete nodes at level 2, 3 at level 5 (96 leaves), none at level 7.
        tree.Hash(new NodeId(2, (3 * 64) + 24)).ShouldBe(Tree.NodeHash(new NodeId(2, (3 * 64) + 24)));
        tree.Hash(new NodeId(5, (3 * 8) + 2)).ShouldBe(Tree.NodeHash(new NodeId(5, (3 * 8) + 2)));
        var beyond = Should.Throw<StoreCorruptedException>(() => tree.Hash(new NodeId(5, (3 * 8) + 3)));
        beyond.Message.ShouldContain("The Merkle tiles are incomplete");
        beyond.Message.ShouldContain("needs hashes [96, 128) of tile (level 0, index 3), which holds 100");
        Should.Throw<StoreCorruptedException>(() => tree.Hash(new NodeId(0, (3 * 256) + 100)));
    }

    [Fact]
    public void A_lazy_tree_gives_the_same_nodes_whatever_it_is_asked_first()
    {
        var key = new TileKey(0, 1);
        var top = TileTree.Lazy(key, TileBytes(1, 256));
        var bottom = TileTree.Lazy(key, TileBytes(1, 256));

        // One asked for the top node first (computing every node below it), the other from the bottom up.
        top.Hash(new NodeId(7, 2)).ShouldBe(Tree.NodeHash(new NodeId(7, 2)));
        for (var k = 0; k < TileLayout.Height; k++)
        {
            var node = new NodeId(k, (256 >> k) + ((256 >> k) / 3));
            bottom.Hash(node).ShouldBe(Tree.NodeHash(node));
            top.Hash(node).ShouldBe(Tree.NodeHash(node));
        }

        bottom.Hash(new NodeId(7, 2)).ShouldBe(Tree.NodeHash(new NodeId(7, 2)));
    }

    [Fact]
    public void A_node_of_another_tile_is_refused()
    {
        var tree = TileTree.Expand(new TileKey(0, 1), TileBytes(1, 256));

        Should.Throw<InvalidOperationException>(() => tree.Hash(new NodeId(0, 5))).Message.ShouldContain("tile (level 0, index 1)");
        Should.Throw<InvalidOperationException>(() => tree.Hash(new NodeId(8, 1)));
    }

    [Theory]
    [InlineData(31)]
    [InlineData((256 * 32) + 32)]
    public void Bytes_that_are_not_whole_hashes_up_to_a_full_tile_are_a_corrupted_store(int length)
    {
        var ex = Should.Throw<StoreCorruptedException>(() => TileTree.Expand(new TileKey(1, 0), new byte[length]));

        ex.Message.ShouldContain("tile (level 1, index 0)", Case.Insensitive);
        Should.Throw<StoreCorruptedException>(() => TileTree.Lazy(new TileKey(1, 0), new byte[length]));
    }

    [Fact]
    public void A_missing_tile_expands_to_no_nodes()
    {
        var tree = TileTree.Lazy(new TileKey(0, 9), []);

        Should.Throw<StoreCorruptedException>(() => tree.Hash(new NodeId(0, (9 * 256) + 1))).Message.ShouldContain("which holds 0");
    }

    [Fact]
    public void An_upper_tile_expands_from_the_level_8_hashes_it_holds()
    {
        // A level-1 tile holds level-8 nodes; its nodes at levels 8 to 15 come from them.
        var level8 = Enumerable.Range(0, 256).Select(i => MerkleHash.HashLeaf([(byte)i, (byte)(i >> 8)])).ToList();
        var tree = TileTree.Expand(new TileKey(1, 0), level8.SelectMany(h => h).ToArray());

        tree.Hash(new NodeId(8, 17)).ShouldBe(level8[17]);
        tree.Hash(new NodeId(9, 3)).ShouldBe(MerkleHash.HashChildren(level8[6], level8[7]));
        var left = MerkleHash.HashChildren(MerkleHash.HashChildren(level8[0], level8[1]), MerkleHash.HashChildren(level8[2], level8[3]));
        var right = MerkleHash.HashChildren(MerkleHash.HashChildren(level8[4], level8[5]), MerkleHash.HashChildren(level8[6], level8[7]));
        tree.Hash(new NodeId(11, 0)).ShouldBe(MerkleHash.HashChildren(left, right));
    }

    private static MerkleTree Build(int leaves)
    {
        var tree = new MerkleTree();
        for (var i = 0; i < leaves; i++)
        {
            tree.Append(MerkleHash.HashLeaf(BitConverter.GetBytes(i)));
        }

        return tree;
    }

    private static byte[] TileBytes(long tileIndex, int width) =>
        Enumerable.Range(0, width).SelectMany(i => Tree.NodeHash(new NodeId(0, (tileIndex * 256) + i))).ToArray();
}
