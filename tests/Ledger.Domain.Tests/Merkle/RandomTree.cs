using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Merkle;

/// <summary>A tree of random entries, reproducible from its seed, with its leaf hashes and built <see cref="MerkleTree"/>.</summary>
internal sealed class RandomTree
{
    public RandomTree(int size, int seed)
    {
        var random = new Random(seed);
        Leaves = new byte[size][];
        Tree = new MerkleTree();
        for (var i = 0; i < size; i++)
        {
            var entry = new byte[random.Next(0, 48)];
            random.NextBytes(entry);
            Leaves[i] = Tree.AppendEntry(entry);
        }
    }

    public byte[][] Leaves { get; }

    public MerkleTree Tree { get; }

    public int Size => Leaves.Length;

    public ReadOnlySpan<byte[]> Prefix(int size) => Leaves.AsSpan(0, size);

    public ReadOnlySpan<byte[]> Slice(long start, long end) => Leaves.AsSpan((int)start, (int)(end - start));

    public override string ToString() => $"tree of {Size} leaves";
}
