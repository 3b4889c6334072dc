using Ledger.Domain.Executions;

namespace Ledger.Store;

/// <summary>
/// What the follow job last proved of a parent on a peer ledger (DESIGN §8.2): the latest verified attestation's
/// statement time, the status it proves, its digest and its checkpoint's size. Kept so that the decision endpoint
/// and the follow job read the freshness of a remote parent from the store, never from memory.
/// </summary>
/// <param name="Parent">The remote parent (its ledger's origin and execution id).</param>
/// <param name="VerifiedAt">The statement time of the latest attestation that verified.</param>
/// <param name="Status">The parent's status that attestation proves.</param>
/// <param name="AttestationDigest">Its digest, <c>sha256:&lt;hex&gt;</c>.</param>
/// <param name="CheckpointSize">The size of its checkpoint.</param>
/// <remarks>Immutable.</remarks>
public sealed record RemoteParentFollow(ParentRef Parent, DateTimeOffset VerifiedAt, ExecutionStatus Status, string AttestationDigest, long CheckpointSize);
