namespace Ledger.Store;

/// <summary>
/// The latest checkpoint of a peer ledger that a verified attestation carried (the follow job asks the next attestation
/// for a consistency proof from it), and when the peer was seen showing a split view (from then on it is untrusted).
/// </summary>
/// <param name="Origin">The peer's origin.</param>
/// <param name="Size">The held checkpoint's size.</param>
/// <param name="Note">The held checkpoint, as a signed note.</param>
/// <param name="SplitViewAt">When a split view was recorded; null while none was.</param>
/// <remarks>Immutable.</remarks>
public sealed record FollowedPeer(string Origin, long Size, string Note, DateTimeOffset? SplitViewAt);
