namespace Ledger.Domain.Canonical;

/// <summary>
/// What the one-pass canonical check remembers between tokens (<see cref="JsonCanonicalizer.AcceptToken"/>): where the
/// next token must start, and the last key read at each depth (offset and length of its raw bytes), to check key order.
/// </summary>
/// <remarks>Lives on the stack of one reading pass; the two spans hold <see cref="Depths"/> entries each.</remarks>
internal ref struct CanonicalScan
{
    /// <summary>The length of each span: one slot per depth up to <see cref="JsonCanonicalizer.MaxDepth"/>, and one more.</summary>
    public const int Depths = JsonCanonicalizer.MaxDepth + 2;

    public CanonicalScan(Span<int> keyStart, Span<int> keyLength)
    {
        KeyStart = keyStart;
        KeyLength = keyLength;
    }

    /// <summary>Where the next token must start (at most one separator before it); after the last, the text's length.</summary>
    public int Expected { get; set; }

    public Span<int> KeyStart { get; }

    public Span<int> KeyLength { get; }
}
