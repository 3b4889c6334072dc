using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Merkle;

/// <summary>
/// RFC 6962 §2.1 written as the recursive definitions, over leaf hashes, with no cleverness: the reference the
/// production code is compared with.
/// </summary>
internal static class NaiveMerkle
{
    /// <summary>MTH(D[n]).</summary>
    public static byte[] Mth(ReadOnlySpan<byte[]> leaves)
    {
        if (leaves.Length == 0)
        {
            return System.Security.Cryptography.SHA256.HashData(ReadOnlySpan<byte>.Empty);
        }

        if (leaves.Length == 1)
        {
            return leaves[0];
        }

        var k = SplitPoint(leaves.Length);
        return MerkleHash.HashChildren(Mth(leaves[..k]), Mth(leaves[k..]));
    }

    /// <summary>PATH(m, D[n]), the audit path of leaf m.</summary>
    public static List<byte[]> Path(int m, ReadOnlySpan<byte[]> leaves)
    {
        if (leaves.Length == 1)
        {
            return [];
        }

        var k = SplitPoint(leaves.Length);
        if (m < k)
        {
            var path = Path(m, leaves[..k]);
            path.Add(Mth(leaves[k..]));
            return path;
        }
        else
        {
            var path = Path(m - k, leaves[k..]);
            path.Add(Mth(leaves[..k]));
            return path;
        }
    }

    /// <summary>PROOF(m, D[n]) = SUBPROOF(m, D[n], true).</summary>
    public static List<byte[]> Proof(int m, ReadOnlySpan<byte[]> leaves) => SubProof(m, leaves, true);

    private static List<byte[]> SubProof(int m, ReadOnlySpan<byte[]> leaves, bool complete)
    {
        var n = leaves.Length;
        if (m == n)
        {
            return complete ? [] : [Mth(leaves)];
        }

        var k = SplitPoint(n);
        if (m <= k)
        {
            var proof = SubProof(m, leaves[..k], complete);
            proof.Add(Mth(leaves[k..]));
            return proof;
        }
        else
        {
            var proof = SubProof(m - k, leaves[k..], false);
            proof.Add(Mth(leaves[..k]));
            return proof;
        }
    }

    /// <summary>The largest power of two smaller than n (n ≥ 2).</summary>
    private static int SplitPoint(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }
}
