using System.Security.Cryptography;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Ledger.Domain.Canonical;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;

namespace Ledger.Bench.Micro;

/// <summary>
/// What reading one entry costs, against the two floors of anything that reads entries: SHA-256 over its bytes (the leaf
/// hash every verifier must compute) and Utf8JsonReader reading its tokens (the floor for anything that must read JSON).
/// The Ratio column divides by the SHA-256 baseline.
/// </summary>
[MemoryDiagnoser]
public class EntryBenchmarks
{
    private byte[] _entry = [];
    private readonly byte[] _hash = new byte[32];

    /// <summary>Makes the entry.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _entry = Entries.Typical();
        Console.WriteLine($"// entry: {_entry.Length} bytes");
    }

    /// <summary>The limit: SHA-256 over the entry's bytes.</summary>
    [Benchmark(Baseline = true)]
    public byte Sha256()
    {
        SHA256.HashData(_entry, _hash);
        return _hash[0];
    }

    /// <summary>The JSON floor: every token of the entry through Utf8JsonReader.</summary>
    [Benchmark]
    public int Utf8JsonReaderTokens()
    {
        var reader = new Utf8JsonReader(_entry);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    /// <summary>The leaf hash (RFC 6962: SHA-256 over 0x00 and the entry).</summary>
    [Benchmark]
    public byte HashLeaf() => MerkleHash.HashLeaf(_entry)[0];

    /// <summary>The one-pass RFC 8785 check the verifier runs on every entry.</summary>
    [Benchmark]
    public bool CanonicalCheckOnePass() => JsonCanonicalizer.IsCanonical(_entry);

    /// <summary>The check it replaced (and its test oracle): canonicalize, then compare the bytes.</summary>
    [Benchmark]
    public bool CanonicalCheckByReserializing() => JsonCanonicalizer.Canonicalize(_entry).AsSpan().SequenceEqual(_entry);

    /// <summary>The whole parse of an entry (canonical check included), as the verifier does it.</summary>
    [Benchmark]
    public long LedgerEntryParse() => LedgerEntry.Parse(_entry).Position;
}
