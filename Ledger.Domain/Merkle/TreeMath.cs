using System.Numerics;

namespace Ledger.Domain.Merkle;

/// <summary>Bit arithmetic on leaf indexes and tree sizes, as transparency-dev/merkle's compact package.</summary>
/// <remarks>All arguments are non-negative <see cref="long"/> values, so every result fits in 63 bits.</remarks>
internal static class TreeMath
{
    /// <summary>The number of bits needed to represent <paramref name="value"/> (Go's <c>bits.Len64</c>).</summary>
    public static int BitLength(long value) => 64 - BitOperations.LeadingZeroCount((ulong)value);

    /// <summary>The number of trailing zero bits; 64 for zero (Go's <c>bits.TrailingZeros64</c>).</summary>
    public static int TrailingZeros(long value) => BitOperations.TrailingZeroCount(value);

    /// <summary>The number of one bits (Go's <c>bits.OnesCount64</c>).</summary>
    public static int OnesCount(long value) => BitOperations.PopCount((ulong)value);

    /// <summary>
    /// Splits [begin, end) into the minimal sequence of perfect subtrees. Bits of <c>Left</c> (low to high)
    /// are the sizes along the left border, bits of <c>Right</c> (high to low) those along the right border.
    /// </summary>
    public static (long Left, long Right) Decompose(long begin, long end)
    {
        if (begin == 0)
        {
            return (0, end);
        }

        var lastBefore = begin - 1;
        // Only nodes strictly below the point where the paths to leaves begin-1 and end diverge are in the range.
        var divergence = BitLength(lastBefore ^ end) - 1;
        var mask = (1L << divergence) - 1;
        return (~lastBefore & mask, end & mask);
    }

    /// <summary>The number of perfect subtrees in the compact range [begin, end).</summary>
    public static int RangeSize(long begin, long end)
    {
        var (left, right) = Decompose(begin, end);
        return OnesCount(left) + OnesCount(right);
    }

    /// <summary>Appends the ids of the perfect subtrees covering [begin, end), ordered left to right.</summary>
    public static void AppendRangeNodes(long begin, long end, List<NodeId> ids)
    {
        var (left, right) = Decompose(begin, end);
        var position = begin;
        while (left != 0)
        {
            var level = TrailingZeros(left);
            var bit = 1L << level;
            ids.Add(new NodeId(level, position >> level));
            position += bit;
            left ^= bit;
        }

        while (right != 0)
        {
            var level = BitLength(right) - 1;
            var bit = 1L << level;
            ids.Add(new NodeId(level, position >> level));
            position += bit;
            right ^= bit;
        }
    }

    /// <summary>
    /// Whether [start, end) is a subtree in the sense of transparency-dev/merkle: start is 0, or the range is
    /// empty, or start is a multiple of the smallest power of two not below end − start.
    /// </summary>
    public static bool IsValidSubtree(long start, long end)
    {
        if (start < 0 || end < start)
        {
            return false;
        }

        if (start == 0 || start == end)
        {
            return true;
        }

        var length = end - start;
        if (length > 1L << 62)
        {
            // The power of two at or above the length is 2^63, and only start 0 is a multiple of it.
            return false;
        }

        var ceiling = length == 1 ? 1L : 1L << BitLength(length - 1);
        return (start & (ceiling - 1)) == 0;
    }
}
