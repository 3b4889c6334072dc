namespace Ledger.Application.Federation;

/// <summary>
/// What this node's follow job last saw of one peer (diagnostics for <c>/healthz/ready</c>; decisions never read it:
/// they read the follow rows kept with the execution record).
/// </summary>
/// <param name="Peer">The peer's origin.</param>
/// <param name="LastPullAt">When an attestation was last asked of it.</param>
/// <param name="LastVerifiedAt">When an attestation from it last verified.</param>
/// <param name="ParentsFollowed">How many of its executions the last tick followed (remote parents of open executions here).</param>
/// <param name="LastError">The last failure (no answer, a wrong or forged answer, a missing quorum, a split view); null after a verified attestation.</param>
/// <param name="LastErrorAt">When it failed.</param>
public sealed record PeerFollowProgress(
    string Peer, DateTimeOffset? LastPullAt, DateTimeOffset? LastVerifiedAt, int ParentsFollowed, string? LastError, DateTimeOffset? LastErrorAt);
