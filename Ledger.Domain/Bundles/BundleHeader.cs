using System.Globalization;

namespace Ledger.Domain.Bundles;

/// <summary>
/// The bundle's second line: what it exports and from which log. Create one with <see cref="Full"/>,
/// <see cref="ForStream"/> or <see cref="ForLineage"/>.
/// </summary>
/// <remarks>
/// <para>Invariants: <see cref="Origin"/> is non-empty; a full bundle has 0 ≤ <see cref="From"/> ≤ <see cref="To"/>
/// ≤ 2^53 − 1 and no scope; a stream bundle has a non-empty <see cref="Stream"/>; a lineage bundle has a non-empty
/// <see cref="Execution"/> (the id of the tree's root execution). The verifier checks every field against the
/// bundle's content, so no byte of the header goes unchecked.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed record BundleHeader : BundleRecord
{
    private BundleHeader(BundleKind kind, string origin, long from, long to, string? stream, string? execution)
    {
        Kind = kind;
        Origin = origin;
        From = from;
        To = to;
        Stream = stream;
        Execution = execution;
    }

    /// <summary>What the bundle exports.</summary>
    public BundleKind Kind { get; }

    /// <summary>The log's origin line (as in its checkpoints and every entry).</summary>
    public string Origin { get; }

    /// <summary>Full bundles: the first exported position; 0 otherwise.</summary>
    public long From { get; }

    /// <summary>Full bundles: one past the last exported position, the size of the last checkpoint; 0 otherwise.</summary>
    public long To { get; }

    /// <summary>Stream bundles: the exported stream; null otherwise.</summary>
    public string? Stream { get; }

    /// <summary>Lineage bundles: the id of the root execution of the exported tree; null otherwise.</summary>
    public string? Execution { get; }

    /// <inheritdoc />
    public override string RecordName => "header";

    /// <summary>The header of a full export of positions [<paramref name="from"/>, <paramref name="to"/>).</summary>
    /// <exception cref="ArgumentException">An empty origin.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 ≤ from ≤ to ≤ 2^53 − 1.</exception>
    public static BundleHeader Full(string origin, long from, long to)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, BundleFormat.MaxInteger);
        return new BundleHeader(BundleKind.Full, origin, from, to, null, null);
    }

    /// <summary>The header of a partial export of one stream.</summary>
    /// <exception cref="ArgumentException">An empty origin or stream.</exception>
    public static BundleHeader ForStream(string origin, string stream)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        return new BundleHeader(BundleKind.Stream, origin, 0, 0, stream, null);
    }

    /// <summary>The header of a partial export of the lineage tree rooted at execution <paramref name="execution"/>.</summary>
    /// <exception cref="ArgumentException">An empty origin or execution id.</exception>
    public static BundleHeader ForLineage(string origin, string execution)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentException.ThrowIfNullOrEmpty(execution);
        return new BundleHeader(BundleKind.Lineage, origin, 0, 0, null, execution);
    }

    /// <summary>A one-line description for reports, e.g. <c>full export of positions [0, 1200)</c>.</summary>
    public string Describe() => Kind switch
    {
        BundleKind.Full => string.Create(CultureInfo.InvariantCulture, $"full export of positions [{From}, {To})"),
        BundleKind.Stream => $"export of stream '{Stream}'",
        _ => $"export of the lineage tree of execution '{Execution}'",
    };
}
