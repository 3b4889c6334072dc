using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Ledger.Domain.Merkle;

namespace Ledger.Bench;

/// <summary>
/// Merkle suite: SHA-256 itself (the physical limit), then the tree hashes, compact-range appends and proof
/// verification, each as a ratio to the raw SHA-256 rate over 64-byte inputs measured in the same run.
/// </summary>
internal static class MerkleBench
{
    private const int Pool = 1 << 16;
    private const int Batch = 10_000;
    private const int Proofs = 1024;

    // Written by every measured loop so the work cannot be optimised away.
    private static byte _sink;

    public static Task<int> RunAsync(string[] args)
    {
        var quick = Measure.IsQuick(args);
        var measure = new Measure(quick);
        var treeSize = quick ? 1 << 16 : 1 << 20;
        var random = new Random(6962);
        var rows = new List<Row>();

        // The physical limit: SHA-256 over 64 bytes (two compression blocks with padding, as a 65-byte node hash),
        // through the BCL one-shot call and through a reused IncrementalHash. The faster is the limit.
        var input = RandomBytes(random, 64);
        var output = new byte[MerkleHash.Size];
        rows.Add(new Row("SHA-256 one-shot, 64-byte input", 64, 1, IsLimit: true, measure.Add(Batch, () =>
        {
            for (var i = 0; i < Batch; i++)
            {
                input[0] = unchecked((byte)i);
                SHA256.HashData(input, output);
            }

            _sink ^= output[0];
        })));

        using var incremental = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        rows.Add(new Row("SHA-256 reused IncrementalHash, 64-byte input", 64, 1, IsLimit: true, measure.Add(Batch, () =>
        {
            for (var i = 0; i < Batch; i++)
            {
                input[0] = unchecked((byte)i);
                incremental.AppendData(input);
                incremental.GetHashAndReset(output);
            }

            _sink ^= output[0];
        })));

        var bulk = RandomBytes(random, 1 << 20);
        rows.Add(new Row("SHA-256, 1 MiB input (bulk)", bulk.Length, double.NaN, IsLimit: false, measure.Add(1, () =>
        {
            SHA256.HashData(bulk, output);
            _sink ^= output[0];
        })));

        var left = RandomBytes(random, 32);
        var right = RandomBytes(random, 32);
        rows.Add(new Row("MerkleHash.HashChildren (32+32 bytes)", 65, 1, IsLimit: false, measure.Add(Batch, () =>
        {
            for (var i = 0; i < Batch; i++)
            {
                left[0] = unchecked((byte)i);
                MerkleHash.HashChildren(left, right, output);
            }

            _sink ^= output[0];
        })));

        var entries = RandomBytes(random, Pool * 64);
        rows.Add(new Row("MerkleHash.HashLeaf (64-byte entry)", 65, 1, IsLimit: false, measure.Add(Batch, () =>
        {
            for (var i = 0; i < Batch; i++)
            {
                MerkleHash.HashLeaf(entries.AsSpan(i % Pool * 64, 64), output);
            }

            _sink ^= output[0];
        })));

        // Appends: n leaves create n − 1 interior nodes, so one node hash per leaf; with the leaf hash, two.
        var leafHashes = RandomBytes(random, Pool * MerkleHash.Size);
        var range = new CompactRange();
        rows.Add(new Row("CompactRange.Append (leaf hash given)", double.NaN, 1, IsLimit: false, measure.Add(Pool, () =>
        {
            for (var i = 0; i < Pool; i++)
            {
                range.Append(leafHashes.AsSpan(i * MerkleHash.Size, MerkleHash.Size));
            }
        })));

        var entryRange = new CompactRange();
        rows.Add(new Row("HashLeaf + CompactRange.Append (64-byte entry)", 64, 2, IsLimit: false, measure.Add(Pool, () =>
        {
            Span<byte> leafHash = stackalloc byte[MerkleHash.Size];
            for (var i = 0; i < Pool; i++)
            {
                MerkleHash.HashLeaf(entries.AsSpan(i * 64, 64), leafHash);
                entryRange.Append(leafHash);
            }
        })));

        var failures = AddProofs(measure, random, treeSize, rows);

        Console.WriteLine($"# Merkle benchmark ({(quick ? "quick" : "full")} run)");
        Console.WriteLine();
        Console.WriteLine($"- machine: {Environment.ProcessorCount} cores (nproc), {CpuModel()}, {RuntimeInformation.OSDescription}");
        Console.WriteLine($"- runtime: .NET {Environment.Version}, {RuntimeInformation.ProcessArchitecture}");
        Console.WriteLine($"- proofs: {Proofs} random proofs verified in a tree of {treeSize:N0} leaves");
        Console.WriteLine($"- timing: {measure.Description}");
        Console.WriteLine();

        var rates = measure.RunAll();
        _sink ^= range.Root()[0];
        _sink ^= entryRange.Root()[0];

        var raw = rows.Where(r => r.IsLimit).Max(r => rates[r.Position]);
        Console.WriteLine($"Raw SHA-256 limit (the faster of the two 64-byte rows): {Measure.Rate(raw)}hashes/s, {Measure.Rate(raw * 64)}B/s.");
        Console.WriteLine();
        PrintTable(rows, rates, raw);
        Console.WriteLine();
        Console.WriteLine("bulk: bytes/s of one SHA-256 over 1 MiB, the byte-rate limit (compare `openssl speed sha256`).");
        Console.WriteLine("ops/s ÷ raw: operations per second over raw 64-byte SHA-256 hashes per second.");
        Console.WriteLine("vs limit: (ops/s × SHA-256 per op) ÷ raw hashes per second; 1.00 = all time spent in SHA-256.");
        Console.WriteLine($"(checksum {_sink}; {failures[0]} proofs failed to verify)");
        return Task.FromResult(failures[0] == 0 ? 0 : 1);
    }

    private static int[] AddProofs(Measure measure, Random random, int treeSize, List<Row> rows)
    {
        var tree = new MerkleTree();
        var entry = new byte[64];
        for (var i = 0; i < treeSize; i++)
        {
            random.NextBytes(entry);
            tree.AppendEntry(entry);
        }

        var roots = new Dictionary<long, byte[]>();
        byte[] RootAt(long size) => roots.TryGetValue(size, out var root) ? root : roots[size] = tree.Root(size);

        var inclusions = new (long Index, byte[] Leaf, IReadOnlyList<byte[]> Proof)[Proofs];
        var consistencies = new (long Size1, long Size2, IReadOnlyList<byte[]> Proof, byte[] Root1, byte[] Root2)[Proofs];
        double inclusionHashes = 0, consistencyHashes = 0;
        for (var i = 0; i < Proofs; i++)
        {
            var index = random.NextInt64(treeSize);
            inclusions[i] = (index, tree.LeafHash(index), tree.InclusionProof(index, treeSize));
            inclusionHashes += inclusions[i].Proof.Count;

            var size2 = random.NextInt64(2, treeSize + 1);
            var size1 = random.NextInt64(1, size2);
            consistencies[i] = (size1, size2, tree.ConsistencyProof(size1, size2), RootAt(size1), RootAt(size2));
            consistencyHashes += ConsistencyHashes(size1, size2);
        }

        var root = tree.Root();
        var failures = new int[1];
        rows.Add(new Row("MerkleVerifier.VerifyInclusion", double.NaN, inclusionHashes / Proofs, IsLimit: false, measure.Add(Proofs, () =>
        {
            foreach (var (index, leaf, proof) in inclusions)
            {
                failures[0] += MerkleVerifier.VerifyInclusion(index, treeSize, leaf, proof, root).IsValid ? 0 : 1;
            }
        })));

        rows.Add(new Row("MerkleVerifier.VerifyConsistency", double.NaN, consistencyHashes / Proofs, IsLimit: false, measure.Add(Proofs, () =>
        {
            foreach (var (size1, size2, proof, root1, root2) in consistencies)
            {
                failures[0] += MerkleVerifier.VerifyConsistency(size1, size2, proof, root1, root2).IsValid ? 0 : 1;
            }
        })));

        return failures;
    }

    /// <summary>
    /// The node hashes VerifyConsistency computes: the chain to the second root, plus, when size1 is not a power
    /// of two, the chain back to the first root (docs/FORMAT.md §3.4 steps 5 and 6).
    /// </summary>
    private static int ConsistencyHashes(long size1, long size2)
    {
        static int BitLength(long v) => 64 - BitOperations.LeadingZeroCount((ulong)v);
        var forkLevel = BitLength((size1 - 1) ^ (size2 - 1));
        var border = BitOperations.PopCount((ulong)((size1 - 1) >> forkLevel));
        var shift = BitOperations.TrailingZeroCount(size1);
        var inner = forkLevel - shift;
        var hashes = inner + border;
        if ((size1 & (size1 - 1)) != 0)
        {
            var mask = (size1 - 1) >> shift;
            hashes += BitOperations.PopCount((ulong)(mask & ((1L << inner) - 1))) + border;
        }

        return hashes;
    }

    private static void PrintTable(List<Row> rows, double[] rates, double raw)
    {
        Console.WriteLine("| Measurement | ops/s | bytes/s | SHA-256 per op | ops/s ÷ raw | vs limit |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            var rate = rates[row.Position];
            var bytes = double.IsNaN(row.BytesPerOp) ? "" : Measure.Rate(rate * row.BytesPerOp) + "B/s";
            var hashes = double.IsNaN(row.HashesPerOp) ? "" : row.HashesPerOp.ToString("0.##", CultureInfo.InvariantCulture);
            var vsRaw = double.IsNaN(row.HashesPerOp) ? "" : (rate / raw).ToString("0.000", CultureInfo.InvariantCulture);
            var vsLimit = double.IsNaN(row.HashesPerOp) ? "" : (rate * row.HashesPerOp / raw).ToString("0.00", CultureInfo.InvariantCulture);
            Console.WriteLine($"| {row.Name} | {Measure.Rate(rate)}/s | {bytes} | {hashes} | {vsRaw} | {vsLimit} |");
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string CpuModel()
    {
        const string Key = "model name";
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(Key, StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    private sealed record Row(string Name, double BytesPerOp, double HashesPerOp, bool IsLimit, int Position);
}
