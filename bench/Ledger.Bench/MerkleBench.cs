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

    // Written by every measured loop so the work cannot be optimised away.
    private static byte _sink;

    public static Task<int> RunAsync(string[] args)
    {
        var quick = Measure.IsQuick(args);
        var measure = new Measure(quick);
        var treeSize = quick ? 1 << 16 : 1 << 20;
        var random = new Random(6962);

        Console.WriteLine($"# Merkle benchmark ({(quick ? "quick" : "full")} run)");
        Console.WriteLine();
        Console.WriteLine($"- machine: {Environment.ProcessorCount} cores (nproc), {CpuModel()}, {RuntimeInformation.OSDescription}");
        Console.WriteLine($"- runtime: .NET {Environment.Version}, {RuntimeInformation.ProcessArchitecture}");
        Console.WriteLine($"- proofs verified in a tree of {treeSize:N0} leaves; median of timed runs after a warm-up");
        Console.WriteLine();

        var rows = new List<Row>();

        // The physical limit: SHA-256 over 64 bytes (two compression blocks with padding, as a 65-byte node hash),
        // through the BCL one-shot call and through a reused IncrementalHash. The fastest is the limit.
        var input = RandomBytes(random, 64);
        var output = new byte[MerkleHash.Size];
        const int Batch = 10_000;
        void OneShot()
        {
            for (var i = 0; i < Batch; i++)
            {
                input[0] = unchecked((byte)i);
                SHA256.HashData(input, output);
            }

            _sink ^= output[0];
        }

        var oneShot = measure.OperationsPerSecond(Batch, OneShot);
        rows.Add(new Row("SHA-256 one-shot, 64-byte input *", oneShot, 64, 1));

        using var incremental = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var reused = measure.OperationsPerSecond(Batch, () =>
        {
            for (var i = 0; i < Batch; i++)
            {
                input[0] = unchecked((byte)i);
                incremental.AppendData(input);
                incremental.GetHashAndReset(output);
            }

            _sink ^= output[0];
        });
        rows.Add(new Row("SHA-256 reused IncrementalHash, 64-byte input *", reused, 64, 1));

        var bulk = RandomBytes(random, 1 << 20);
        var bulkRate = measure.OperationsPerSecond(1, () =>
        {
            SHA256.HashData(bulk, output);
            _sink ^= output[0];
        });
        rows.Add(new Row("SHA-256, 1 MiB input (bulk)", bulkRate, 1 << 20, double.NaN));

        var left = RandomBytes(random, 32);
        var right = RandomBytes(random, 32);
        var node = measure.OperationsPerSecond(Batch, () =>
        {
            for (var i = 0; i < Batch; i++)
            {
                left[0] = unchecked((byte)i);
                MerkleHash.HashChildren(left, right, output);
            }

            _sink ^= output[0];
        });
        rows.Add(new Row("MerkleHash.HashChildren (32+32 bytes)", node, 65, 1));

        var entries = RandomBytes(random, Pool * 64);
        var leaf = measure.OperationsPerSecond(Batch, () =>
        {
            for (var i = 0; i < Batch; i++)
            {
                MerkleHash.HashLeaf(entries.AsSpan((i % Pool) * 64, 64), output);
            }

            _sink ^= output[0];
        });
        rows.Add(new Row("MerkleHash.HashLeaf (64-byte entry)", leaf, 65, 1));

        // Appends: n leaves create n − 1 interior nodes, so one node hash per leaf; with the leaf hash, two.
        var leafHashes = RandomBytes(random, Pool * MerkleHash.Size);
        var range = new CompactRange();
        var append = measure.OperationsPerSecond(Pool, () =>
        {
            for (var i = 0; i < Pool; i++)
            {
                range.Append(leafHashes.AsSpan(i * MerkleHash.Size, MerkleHash.Size));
            }
        });
        _sink ^= range.Root()[0];
        rows.Add(new Row("CompactRange.Append (leaf hash given)", append, double.NaN, 1));

        var entryRange = new CompactRange();
        var appendEntry = measure.OperationsPerSecond(Pool, () =>
        {
            Span<byte> leafHash = stackalloc byte[MerkleHash.Size];
            for (var i = 0; i < Pool; i++)
            {
                MerkleHash.HashLeaf(entries.AsSpan(i * 64, 64), leafHash);
                entryRange.Append(leafHash);
            }
        });
        _sink ^= entryRange.Root()[0];
        rows.Add(new Row("HashLeaf + CompactRange.Append (64-byte entry)", appendEntry, 64, 2));

        var failures = Proofs(measure, random, treeSize, rows);

        // Measured again last, so that a slower or faster machine state during the run shows up.
        var oneShotAgain = measure.OperationsPerSecond(Batch, OneShot);
        rows.Add(new Row("SHA-256 one-shot, 64-byte input, again at the end *", oneShotAgain, 64, 1));

        var raw = Math.Max(Math.Max(oneShot, oneShotAgain), reused);
        Console.WriteLine($"Raw SHA-256 limit (fastest row marked *): {Measure.Rate(raw)}hashes/s, {Measure.Rate(raw * 64)}B/s over 64-byte inputs.");
        Console.WriteLine();
        PrintTable(rows, raw);
        Console.WriteLine();
        Console.WriteLine("bulk: bytes/s of one SHA-256 over 1 MiB, the byte-rate limit (compare `openssl speed sha256`).");
        Console.WriteLine("ops/s ÷ raw: operations per second over raw 64-byte SHA-256 hashes per second.");
        Console.WriteLine("vs limit: (ops/s × hashes per op) ÷ raw hashes per second, 1.00 = every cycle spent in SHA-256.");
        Console.WriteLine($"(checksum {_sink})");
        return Task.FromResult(failures == 0 ? 0 : 1);
    }

    private static int Proofs(Measure measure, Random random, int treeSize, List<Row> rows)
    {
        var tree = new MerkleTree();
        var entry = new byte[64];
        for (var i = 0; i < treeSize; i++)
        {
            random.NextBytes(entry);
            tree.AppendEntry(entry);
        }

        const int Count = 1024;
        var roots = new Dictionary<long, byte[]>();
        byte[] RootAt(long size) => roots.TryGetValue(size, out var root) ? root : roots[size] = tree.Root(size);

        var inclusions = new (long Index, byte[] Leaf, IReadOnlyList<byte[]> Proof)[Count];
        var consistencies = new (long Size1, long Size2, IReadOnlyList<byte[]> Proof, byte[] Root1, byte[] Root2)[Count];
        double inclusionHashes = 0, consistencyHashes = 0;
        for (var i = 0; i < Count; i++)
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
        var failures = 0;
        var inclusion = measure.OperationsPerSecond(Count, () =>
        {
            foreach (var (index, leaf, proof) in inclusions)
            {
                failures += MerkleVerifier.VerifyInclusion(index, treeSize, leaf, proof, root).IsValid ? 0 : 1;
            }
        });
        rows.Add(new Row("MerkleVerifier.VerifyInclusion", inclusion, double.NaN, inclusionHashes / Count));

        var consistency = measure.OperationsPerSecond(Count, () =>
        {
            foreach (var (size1, size2, proof, root1, root2) in consistencies)
            {
                failures += MerkleVerifier.VerifyConsistency(size1, size2, proof, root1, root2).IsValid ? 0 : 1;
            }
        });
        rows.Add(new Row("MerkleVerifier.VerifyConsistency", consistency, double.NaN, consistencyHashes / Count));

        if (failures != 0)
        {
            Console.Error.WriteLine($"{failures} proofs failed to verify");
        }

        return failures;
    }

    /// <summary>
    /// The node hashes VerifyConsistency computes: the chain to the second root, plus, when size1 is not a power
    /// of two, the chain back to the first root (RFC 9162 §2.1.4.2).
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
            var height = BitLength(size1 - 1);
            var subInner = Math.Min(height, forkLevel) - shift;
            var mask = (size1 - 1) >> shift;
            hashes += BitOperations.PopCount((ulong)(mask & ((1L << subInner) - 1))) + border;
        }

        return hashes;
    }

    private static void PrintTable(List<Row> rows, double raw)
    {
        Console.WriteLine("| Measurement | ops/s | bytes/s | SHA-256 per op | ops/s ÷ raw | vs limit |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            var bytes = double.IsNaN(row.BytesPerOp) ? "" : Measure.Rate(row.OpsPerSecond * row.BytesPerOp) + "B/s";
            var hashes = double.IsNaN(row.HashesPerOp) ? "" : row.HashesPerOp.ToString("0.##", CultureInfo.InvariantCulture);
            var vsRaw = double.IsNaN(row.HashesPerOp) ? "" : (row.OpsPerSecond / raw).ToString("0.000", CultureInfo.InvariantCulture);
            var vsLimit = double.IsNaN(row.HashesPerOp) ? "" : (row.OpsPerSecond * row.HashesPerOp / raw).ToString("0.00", CultureInfo.InvariantCulture);
            Console.WriteLine($"| {row.Name} | {Measure.Rate(row.OpsPerSecond)}/s | {bytes} | {hashes} | {vsRaw} | {vsLimit} |");
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

    private sealed record Row(string Name, double OpsPerSecond, double BytesPerOp, double HashesPerOp);
}
