using System.Text.Json;

namespace Ledger.Domain.Tests.Merkle;

/// <summary>The 8-leaf RFC 6962 test tree of <c>tests/vectors/rfc6962.json</c>, decoded once.</summary>
internal sealed class Rfc6962Vectors
{
    private static readonly Lazy<Rfc6962Vectors> Loaded = new(Load);

    private Rfc6962Vectors(
        byte[][] leafInputs, byte[][][] levels, byte[][] roots, ProofCase[] inclusion, ProofCase[] consistency)
    {
        LeafInputs = leafInputs;
        Levels = levels;
        Roots = roots;
        InclusionProofs = inclusion;
        ConsistencyProofs = consistency;
    }

    public static Rfc6962Vectors Instance => Loaded.Value;

    public byte[][] LeafInputs { get; }

    /// <summary>Levels[level][index]: the complete-subtree hashes; level 0 holds the leaf hashes.</summary>
    public byte[][][] Levels { get; }

    /// <summary>Roots[size] for sizes 0..8.</summary>
    public byte[][] Roots { get; }

    /// <summary>A = leaf index, B = tree size.</summary>
    public ProofCase[] InclusionProofs { get; }

    /// <summary>A = size1, B = size2.</summary>
    public ProofCase[] ConsistencyProofs { get; }

    private static Rfc6962Vectors Load()
    {
        using var document = Vectors.ReadJson("rfc6962.json");
        var root = document.RootElement;
        var leaves = root.GetProperty("leaf_inputs_hex").EnumerateArray().Select(e => Hex.Decode(e.GetString()!)).ToArray();
        var levels = root.GetProperty("node_hashes_by_level").GetProperty("levels").EnumerateArray()
            .Select(level => level.EnumerateArray().Select(e => Hex.Decode(e.GetString()!)).ToArray())
            .ToArray();
        var rootsBySize = root.GetProperty("roots_by_tree_size");
        var roots = Enumerable.Range(0, 9).Select(size => Hex.Decode(rootsBySize.GetProperty(size.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetString()!)).ToArray();
        var inclusion = root.GetProperty("inclusion_proofs").EnumerateArray()
            .Select(e => new ProofCase(e.GetProperty("leaf_index").GetInt64(), e.GetProperty("tree_size").GetInt64(), Hashes(e.GetProperty("audit_path"))))
            .ToArray();
        var consistency = root.GetProperty("consistency_proofs").EnumerateArray()
            .Select(e => new ProofCase(e.GetProperty("size1").GetInt64(), e.GetProperty("size2").GetInt64(), Hashes(e.GetProperty("proof"))))
            .ToArray();
        return new Rfc6962Vectors(leaves, levels, roots, inclusion, consistency);
    }

    private static byte[][] Hashes(JsonElement array) => [.. array.EnumerateArray().Select(e => Hex.Decode(e.GetString()!))];

    internal sealed record ProofCase(long A, long B, byte[][] Proof);
}
