namespace Ledger.Client;

/// <summary>Whether an execution may act now (<c>GET /v1/executions/{id}/decision</c>).</summary>
/// <param name="Allowed">True only for a running execution whose authorization and verification are in force.</param>
/// <param name="Status">Its status wire name (<c>declared</c>, <c>running</c>, <c>completed</c>, <c>denied</c>, <c>halted</c>...).</param>
/// <param name="Phase">Its phase wire name.</param>
/// <param name="Reason">Why it ended, for a denied or halted execution; else null.</param>
/// <param name="ValidUntil">Until when the answer holds (the next verification deadline or the authorization's end), or null.</param>
public sealed record ExecutionDecision(bool Allowed, string Status, string Phase, string? Reason, DateTimeOffset? ValidUntil);
