using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Ledger.Domain.Merkle;

namespace Ledger.Bench.Micro;

/// <summary>
/// Tree work per node and per proof against its limit: one SHA-256 over 64 bytes (a 65-byte interior node hashes two
/// blocks, as this does) through a reused IncrementalHash, the fastest way .NET offers to hash small inputs. Proofs
/// are in a tree of 2^20 leaves; the Ratio column divides by one SHA-256.
/// </summary>
public class MerkleBenchmarks
{
    private const int TreeSize = 1 << 20;
    private readonly byte[] _input = new byte[64];
    private readonly byte[] _output = new byte[32];
    private readonly byte[] _left = new byte[32];
    private readonly byte[] _right = new byte[32];
    private IncrementalHash _sha = null!;
    private CompactRange _range = new();
    private (long Index, byte[] Leaf, IReadOnlyList<byte[]> Proof)[] _inclusions = [];
    private byte[] _root = [];
    private int _next;

    /// <summary>Builds the tree and the proofs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var random = new Random(6962);
        random.NextBytes(_input);
        var leaves = new byte[TreeSize][];
        for (var i = 0; i < TreeSize; i++)
        {
            leaves[i] = MerkleHash.HashLeaf(BitConverter.GetBytes(i));
        }

        var tree = new MerkleTree();
        foreach (var leaf in leaves)
        {
            tree.Append(leaf);
        }

        _root = tree.Root();
        _inclusions = [.. Enumerable.Range(0, 256).Select(_ => random.NextInt64(0, TreeSize)).Select(i => (i, leaves[i], tree.InclusionProof(i, TreeSize)))];
    }

    /// <summary>Releases the hash.</summary>
    [GlobalCleanup]
    public void Cleanup() => _sha.Dispose();

    /// <summary>The limit: one SHA-256 over 64 bytes, context reused.</summary>
    [Benchmark(Baseline = true)]
    public byte Sha256Of64Bytes()
    {
        _sha.AppendData(_input);
        _sha.GetHashAndReset(_output);
        return _output[0];
    }

    /// <summary>One interior node: one SHA-256.</summary>
    [Benchmark]
    public byte HashChildren()
    {
        MerkleHash.HashChildren(_left, _right, _output);
        return _output[0];
    }

    /// <summary>Appending a leaf hash to a compact range: one SHA-256 per leaf on average.</summary>
    [Benchmark]
    public long CompactRangeAppend()
    {
        _range.Append(_left);
        if (_range.Size == TreeSize)
        {
            _range = new CompactRange();
        }

        return _range.Size;
    }

    /// <summary>Verifying an inclusion proof in a 2^20-leaf tree: 20 SHA-256.</summary>
    [Benchmark]
    public bool VerifyInclusion()
    {
        var (index, leaf, proof) = _inclusions[_next++ & 255];
        return MerkleVerifier.VerifyInclusion(index, TreeSize, leaf, proof, _root).Failure is null;
    }
}
