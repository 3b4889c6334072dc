using System.Security.Cryptography;
using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Merkle;

public sealed class MerkleHashTests
{
    [Fact]
    public void Prefixes_and_size_are_those_of_RFC_6962()
    {
        MerkleHash.LeafPrefix.ShouldBe((byte)0x00);
        MerkleHash.NodePrefix.ShouldBe((byte)0x01);
        MerkleHash.Size.ShouldBe(32);
    }

    [Fact]
    public void Empty_root_is_the_SHA256_of_nothing()
    {
        Hex.Encode(MerkleHash.EmptyRoot()).ShouldBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(510)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(100_000)]
    public void Leaf_hash_is_SHA256_of_the_leaf_prefix_and_the_entry_at_any_length(int length)
    {
        var entry = new byte[length];
        new Random(length).NextBytes(entry);

        MerkleHash.HashLeaf(entry).ShouldBe(SHA256.HashData([0x00, .. entry]));
    }

    [Theory]
    [InlineData(32, 32)]
    [InlineData(0, 5)]
    [InlineData(300, 300)]
    public void Node_hash_is_SHA256_of_the_node_prefix_and_both_children_at_any_length(int leftLength, int rightLength)
    {
        var left = Enumerable.Repeat((byte)0xaa, leftLength).ToArray();
        var right = Enumerable.Repeat((byte)0x55, rightLength).ToArray();

        MerkleHash.HashChildren(left, right).ShouldBe(SHA256.HashData([0x01, .. left, .. right]));
    }

    [Fact]
    public void Node_hash_may_be_written_over_one_of_its_children()
    {
        var left = MerkleHash.HashLeaf([1]);
        var right = MerkleHash.HashLeaf([2]);
        var expected = MerkleHash.HashChildren(left, right);

        MerkleHash.HashChildren(left, right, right);
        MerkleHash.HashChildren(expected, expected, left);

        right.ShouldBe(expected);
        left.ShouldBe(MerkleHash.HashChildren(expected, expected));
    }

    [Fact]
    public void Leaf_and_node_hashes_of_the_same_bytes_differ()
    {
        var left = new byte[16];
        var right = new byte[16];

        MerkleHash.HashLeaf(new byte[32]).ShouldNotBe(MerkleHash.HashChildren(left, right));
    }

    [Fact]
    public void Destination_shorter_than_a_hash_is_refused()
    {
        Should.Throw<ArgumentException>(() => MerkleHash.HashLeaf([1], new byte[31])).ParamName.ShouldBe("destination");
        Should.Throw<ArgumentException>(() => MerkleHash.HashChildren([1], [2], new byte[31])).ParamName.ShouldBe("destination");
    }

    [Fact]
    public void Hashes_computed_on_many_threads_at_once_are_all_correct()
    {
        var entries = Enumerable.Range(0, 20_000).Select(i => BitConverter.GetBytes(i)).ToArray();
        var hashes = new byte[entries.Length][];

        Parallel.For(0, entries.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            hashes[i] = MerkleHash.HashChildren(MerkleHash.HashLeaf(entries[i]), entries[i]));

        for (var i = 0; i < entries.Length; i++)
        {
            hashes[i].ShouldBe(SHA256.HashData([0x01, .. SHA256.HashData([0x00, .. entries[i]]), .. entries[i]]));
        }
    }
}
