namespace Ledger.Projections.Reading;

/// <summary>The attestations of one peer ledger's executions that this ledger verified and recorded (<c>federation.parent-attested.v1</c>).</summary>
/// <param name="Ledger">The peer's origin.</param>
/// <param name="Attestations">How many this ledger recorded.</param>
/// <param name="LastPosition">The position of the latest one.</param>
/// <param name="LastRecordedAt">When this ledger recorded it.</param>
/// <param name="LastAttestedAt">The time the peer's statement in it carries.</param>
/// <param name="LastExecutionId">The child execution whose stream holds it.</param>
/// <param name="LastCheckpointSize">The size of the peer's checkpoint it was proven against.</param>
public sealed record PeerAttestationView(
    string Ledger, long Attestations, long LastPosition, DateTimeOffset LastRecordedAt, DateTimeOffset LastAttestedAt, string LastExecutionId, long LastCheckpointSize);
