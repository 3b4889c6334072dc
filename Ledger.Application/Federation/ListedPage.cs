namespace Ledger.Application.Federation;

/// <summary>One page of a peer's listing.</summary>
/// <param name="Children">The children named, by position.</param>
/// <param name="More">Whether the peer has more after the last.</param>
/// <remarks>Immutable.</remarks>
public sealed record ListedPage(IReadOnlyList<ListedChild> Children, bool More);
