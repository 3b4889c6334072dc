namespace Ledger.Domain.Bundles;

/// <summary>What a bundle exports (the header's <c>kind</c>).</summary>
public enum BundleKind
{
    /// <summary>Every entry of positions [from, to), with the checkpoints in that range (<c>full</c>).</summary>
    Full = 1,

    /// <summary>The entries of one stream, each with an inclusion proof (<c>stream</c>).</summary>
    Stream = 2,

    /// <summary>The entries of one lineage tree of executions, each with an inclusion proof (<c>lineage</c>).</summary>
    Lineage = 3,
}
