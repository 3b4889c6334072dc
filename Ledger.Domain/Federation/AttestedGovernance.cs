using Ledger.Domain.Publications;

namespace Ledger.Domain.Federation;

/// <summary>What a verified <see cref="GovernanceAttestation"/> proves.</summary>
/// <param name="Statement">The statement, checked against the entries and the checkpoint.</param>
/// <param name="CheckpointNote">The signed checkpoint (with cosignatures), as received.</param>
/// <param name="Book">The peer's <c>$governance</c> folded from the entries: the domains it vouches for and its latest
/// publication for each (positions and times are the peer's).</param>
/// <param name="Digest">The attestation's digest.</param>
/// <remarks>Immutable.</remarks>
public sealed record AttestedGovernance(GovernanceStatement Statement, string CheckpointNote, GovernanceBook Book, string Digest);
