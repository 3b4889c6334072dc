namespace Ledger.Domain.Bundles;

/// <summary>One signed checkpoint of a log, as a <see cref="IBundleSource"/> yields it.</summary>
/// <param name="Size">The tree size it commits to.</param>
/// <param name="SignedNote">The signed note text, exactly as stored.</param>
/// <remarks>Immutable.</remarks>
public sealed record BundleSourceCheckpoint(long Size, string SignedNote);
