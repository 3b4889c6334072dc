using FsCheck;
using FsCheck.Fluent;
using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Merkle;

public sealed class CompactRangeTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(40);

    private static Arbitrary<(int Size, int Seed, int Split)> Cases =>
        (from size in Gen.Choose(0, 1000)
         from seed in Gen.Choose(0, int.MaxValue)
         from split in Gen.Choose(0, int.MaxValue)
         select (size, seed, split % (size + 1))).ToArbitrary();

    [Fact]
    public void Root_equals_the_tree_root_at_every_size()
    {
        Check.One(Quick, Prop.ForAll(Cases, c =>
        {
            var t = new RandomTree(c.Size, c.Seed);
            var range = new CompactRange();
            var same = range.Root().SequenceEqual(t.Tree.Root(0));
            for (var i = 0; i < c.Size && same; i++)
            {
                range.Append(t.Leaves[i]);
                same = range.Size == i + 1 && range.Root().SequenceEqual(t.Tree.Root(i + 1));
            }

            return same && range.Root().SequenceEqual(NaiveMerkle.Mth(t.Leaves));
        }));
    }

    [Fact]
    public void Resuming_from_the_border_hashes_continues_identically()
    {
        Check.One(Quick, Prop.ForAll(Cases, c =>
        {
            var t = new RandomTree(c.Size, c.Seed);
            var whole = new CompactRange();
            for (var i = 0; i < c.Split; i++)
            {
                whole.Append(t.Leaves[i]);
            }

            var resumed = CompactRange.FromHashes(c.Split, whole.Hashes);
            var wholeNodes = new List<(NodeId, string)>();
            var resumedNodes = new List<(NodeId, string)>();
            for (var i = c.Split; i < c.Size; i++)
            {
                whole.Append(t.Leaves[i], (id, hash) => wholeNodes.Add((id, Hex.Encode(hash))));
                resumed.Append(t.Leaves[i], (id, hash) => resumedNodes.Add((id, Hex.Encode(hash))));
            }

            return resumed.Size == whole.Size
                && resumed.Root().SequenceEqual(whole.Root())
                && Hex.EncodeAll(resumed.Hashes).SequenceEqual(Hex.EncodeAll(whole.Hashes))
                && resumedNodes.SequenceEqual(wholeNodes);
        }));
    }

    [Fact]
    public void Node_callback_reports_each_complete_node_once_with_its_subtree_hash()
    {
        Check.One(Quick, Prop.ForAll(Cases, c =>
        {
            var t = new RandomTree(c.Size, c.Seed);
            var range = new CompactRange();
            var reported = new List<(NodeId Id, byte[] Hash)>();
            foreach (var leaf in t.Leaves)
            {
                range.Append(leaf, (id, hash) => reported.Add((id, hash)));
            }

            var complete = CompleteNodes(c.Size);
            return reported.Select(r => r.Id).OrderBy(n => n.Level).ThenBy(n => n.Index).SequenceEqual(complete)
                && reported.All(r => r.Hash.SequenceEqual(NaiveMerkle.Mth(t.Slice(r.Id.Begin, r.Id.End))));
        }));
    }

    [Fact]
    public void Border_hashes_are_the_hashes_of_the_border_nodes_largest_first()
    {
        Check.One(Quick, Prop.ForAll(Cases, c =>
        {
            var t = new RandomTree(c.Size, c.Seed);
            var range = new CompactRange();
            foreach (var leaf in t.Leaves)
            {
                range.Append(leaf);
            }

            var nodes = CompactRange.BorderNodes(c.Size);
            return nodes.Count == System.Numerics.BitOperations.PopCount((uint)c.Size)
                && nodes.Zip(nodes.Skip(1)).All(p => p.First.Level > p.Second.Level && p.First.End == p.Second.Begin)
                && (c.Size == 0 || nodes[^1].End == c.Size)
                && Hex.EncodeAll(range.Hashes).SequenceEqual(Hex.EncodeAll(nodes.Select(t.Tree.NodeHash)));
        }));
    }

    [Fact]
    public void Appending_the_first_three_leaves_reports_leaves_and_the_completed_parent_bottom_up()
    {
        var range = new CompactRange();
        var reported = new List<NodeId>();

        range.Append(MerkleHash.HashLeaf([1]), (id, _) => reported.Add(id));
        range.Append(MerkleHash.HashLeaf([2]), (id, _) => reported.Add(id));
        range.Append(MerkleHash.HashLeaf([3]), (id, _) => reported.Add(id));
        range.Append(MerkleHash.HashLeaf([4]), (id, _) => reported.Add(id));

        reported.ShouldBe([new(0, 0), new(0, 1), new(1, 0), new(0, 2), new(0, 3), new(1, 1), new(2, 0)]);
    }

    [Fact]
    public void Empty_range_has_the_empty_root_and_no_hashes()
    {
        var range = new CompactRange();

        range.Size.ShouldBe(0);
        range.Hashes.ShouldBeEmpty();
        range.Root().ShouldBe(MerkleHash.EmptyRoot());
    }

    [Fact]
    public void Leaf_hash_of_the_wrong_size_is_refused()
    {
        var range = new CompactRange();

        Should.Throw<ArgumentException>(() => range.Append(new byte[31])).ParamName.ShouldBe("leafHash");
        range.Size.ShouldBe(0);
    }

    [Fact]
    public void Throwing_node_callback_leaves_the_range_unchanged()
    {
        var range = new CompactRange();
        range.Append(MerkleHash.HashLeaf([1]));
        var hashes = Hex.EncodeAll(range.Hashes);

        Should.Throw<InvalidOperationException>(() =>
            range.Append(MerkleHash.HashLeaf([2]), (id, _) => throw new InvalidOperationException($"store failed at {id}")));

        range.Size.ShouldBe(1);
        Hex.EncodeAll(range.Hashes).ShouldBe(hashes);
    }

    [Fact]
    public void Throwing_callback_on_a_parent_node_leaves_the_range_unchanged()
    {
        var range = new CompactRange();
        range.Append(MerkleHash.HashLeaf([1]));
        var hashes = Hex.EncodeAll(range.Hashes);

        Should.Throw<InvalidOperationException>(() =>
            range.Append(MerkleHash.HashLeaf([2]), (id, _) =>
            {
                if (id.Level == 1)
                {
                    throw new InvalidOperationException("store failed");
                }
            }));

        range.Size.ShouldBe(1);
        Hex.EncodeAll(range.Hashes).ShouldBe(hashes);
    }

    [Fact]
    public void Range_at_the_largest_size_refuses_another_leaf()
    {
        var hashes = Enumerable.Range(0, 63).Select(i => MerkleHash.HashLeaf([(byte)i])).ToList();
        var range = CompactRange.FromHashes(long.MaxValue, hashes);

        range.Root().Length.ShouldBe(MerkleHash.Size);
        Should.Throw<InvalidOperationException>(() => range.Append(new byte[MerkleHash.Size]));
        range.Size.ShouldBe(long.MaxValue);
    }

    [Fact]
    public void From_hashes_refuses_a_hash_count_that_is_not_the_popcount_of_the_size()
    {
        var error = Should.Throw<ArgumentException>(() => CompactRange.FromHashes(3, [new byte[32]]));

        error.ParamName.ShouldBe("hashes");
        error.Message.ShouldContain("size 3 has 2");
    }

    [Fact]
    public void From_hashes_refuses_a_hash_of_the_wrong_size()
    {
        Should.Throw<ArgumentException>(() => CompactRange.FromHashes(3, [new byte[32], new byte[33]])).Message.ShouldContain("33 bytes");
    }

    [Fact]
    public void From_hashes_refuses_a_null_hash()
    {
        Should.Throw<ArgumentNullException>(() => CompactRange.FromHashes(1, [null!]));
    }

    [Fact]
    public void From_hashes_refuses_a_negative_size()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => CompactRange.FromHashes(-1, []));
    }

    [Fact]
    public void From_hashes_copies_the_given_hashes()
    {
        var hash = MerkleHash.HashLeaf([1]);
        var range = CompactRange.FromHashes(1, [hash]);
        hash[0] ^= 0xff;

        range.Root().ShouldNotBe(hash);
    }

    [Fact]
    public void Border_nodes_of_a_negative_size_are_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => CompactRange.BorderNodes(-1));
    }

    [Fact]
    public void Clone_is_independent_of_the_original()
    {
        var range = new CompactRange();
        range.Append(MerkleHash.HashLeaf([1]));
        var clone = range.Clone();
        var rootBefore = range.Root();

        clone.Append(MerkleHash.HashLeaf([2]));

        range.Size.ShouldBe(1);
        range.Root().ShouldBe(rootBefore);
        clone.Size.ShouldBe(2);
    }

    private static List<NodeId> CompleteNodes(int size)
    {
        var nodes = new List<NodeId>();
        for (var level = 0; (1 << level) <= size; level++)
        {
            for (var index = 0; (index + 1) << level <= size; index++)
            {
                nodes.Add(new NodeId(level, index));
            }
        }

        return nodes;
    }
}
