namespace Ledger.Projections.Reading;

/// <summary>An RFC 6962 inclusion proof of one entry (docs/FORMAT.md §3.3).</summary>
/// <param name="TreeSize">The tree size it proves against (a signed checkpoint's).</param>
/// <param name="Hashes">Sibling hashes from the leaf up, standard base64.</param>
public sealed record InclusionProofView(long TreeSize, IReadOnlyList<string> Hashes);
