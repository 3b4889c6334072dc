namespace Ledger.Domain.Executions;

/// <summary>
/// Whether an execution may act now: the answer of <c>GET /v1/executions/{id}/decision</c>
/// (<c>{"allowed", "status", "phase", "reason", "validUntil"}</c>).
/// </summary>
/// <param name="Allowed">True only while running, trusted, verified in time and authorized.</param>
/// <param name="Status">Where the execution stands.</param>
/// <param name="Phase">The last phase reached.</param>
/// <param name="Reason">Why it may not act, when known: the terminal reason, or the deadline that passed; null when allowed or not yet started.</param>
/// <param name="ValidUntil">For a running execution, the last instant the answer holds: min(expiresAt, last verification or start + maxVerificationInterval).</param>
/// <remarks>Immutable.</remarks>
public sealed record ExecutionClearance(bool Allowed, ExecutionStatus Status, ExecutionPhase Phase, Reason? Reason, DateTimeOffset? ValidUntil);
