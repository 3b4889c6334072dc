namespace Ledger.Domain.Merkle;

/// <summary>
/// A running hash for walking a proof up the tree: it starts at a seed of any length and is rehashed in place
/// (32-byte scratch buffer supplied by the caller) as left or right siblings are folded in.
/// </summary>
internal ref struct HashChain
{
    private readonly ReadOnlySpan<byte> _seed;
    private readonly Span<byte> _scratch;
    private bool _hashed;

    public HashChain(ReadOnlySpan<byte> seed, Span<byte> scratch)
    {
        _seed = seed;
        _scratch = scratch;
        _hashed = false;
    }

    public readonly ReadOnlySpan<byte> Current => _hashed ? (ReadOnlySpan<byte>)_scratch : _seed;

    /// <summary>Leaves the current value in the scratch buffer, copying the seed there if nothing was hashed.</summary>
    public void Finish()
    {
        if (!_hashed)
        {
            _seed.CopyTo(_scratch);
            _hashed = true;
        }
    }

    /// <summary>Current = H(left ‖ Current).</summary>
    public void WithLeft(ReadOnlySpan<byte> left)
    {
        MerkleHash.HashChildren(left, Current, _scratch);
        _hashed = true;
    }

    /// <summary>Current = H(Current ‖ right).</summary>
    public void WithRight(ReadOnlySpan<byte> right)
    {
        MerkleHash.HashChildren(Current, right, _scratch);
        _hashed = true;
    }

    /// <summary>
    /// Folds proof[offset..offset+count] in, bottom-up, for a node at <paramref name="index"/> on the first level:
    /// a clear bit means the sibling is on the right, a set bit on the left (<c>chainInner</c>).
    /// </summary>
    public void Inner(IReadOnlyList<byte[]> proof, int offset, int count, long index)
    {
        for (var i = 0; i < count; i++)
        {
            if (((index >> i) & 1) == 0)
            {
                WithRight(proof[offset + i]);
            }
            else
            {
                WithLeft(proof[offset + i]);
            }
        }
    }

    /// <summary>
    /// Like <see cref="Inner"/> but folds in only the left siblings, which yields the hash of the earlier,
    /// smaller version of the subtree (<c>chainInnerRight</c>).
    /// </summary>
    public void InnerRight(IReadOnlyList<byte[]> proof, int offset, int count, long index)
    {
        for (var i = 0; i < count; i++)
        {
            if (((index >> i) & 1) == 1)
            {
                WithLeft(proof[offset + i]);
            }
        }
    }

    /// <summary>Folds in left siblings along the right border of the tree (<c>chainBorderRight</c>).</summary>
    public void BorderRight(IReadOnlyList<byte[]> proof, int offset, int count)
    {
        for (var i = 0; i < count; i++)
        {
            WithLeft(proof[offset + i]);
        }
    }
}
