using Ledger.Domain.Parameters;

namespace Ledger.Domain.Executions;

/// <summary>
/// Lineage rules for a parent on a peer ledger (DESIGN §8.2, following peers): when the ledger ends a child because
/// of what it proved, or could not prove in time, of its remote parent. One place for the follow job, the decision
/// endpoint and the offline replay.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class RemoteLineage
{
    /// <summary>
    /// The latest instant the child's remote parent was proven by a verified attestation: the later of the child's last
    /// <c>federation.parent-attested.v1</c> and <paramref name="followedAt"/> (what the follow job last verified); null
    /// when neither is known.
    /// </summary>
    public static DateTimeOffset? LastAttested(ExecutionState child, DateTimeOffset? followedAt)
    {
        ArgumentNullException.ThrowIfNull(child);
        var logged = child.AttestedParent?.AttestedAt;
        return logged is { } l && followedAt is { } f ? (l > f ? l : f) : logged ?? followedAt;
    }

    /// <summary>
    /// Whether the child's remote parent has gone without a verified attestation for longer than <c>maxPeerSilence</c>
    /// at <paramref name="now"/>; true when it was never proven (fail closed).
    /// </summary>
    public static bool IsSilent(ExecutionState child, DateTimeOffset? followedAt, DateTimeOffset now, LedgerParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return LastAttested(child, followedAt) is not { } last || now - last > parameters.MaxPeerSilence;
    }

    /// <summary>
    /// What the ledger appends to an open child whose remote parent a verified attestation proves ended (completed,
    /// denied or halted): the attestation as evidence (<paramref name="proof"/>), then the child's end with reason
    /// <c>parent-halted</c> (a halt when it runs, a denial before start). Null when the child is not open, is not a
    /// child of the attested parent, or the parent has not ended.
    /// </summary>
    public static IReadOnlyList<IExecutionEvent>? EndForEndedParent(ExecutionState child, ParentAttested proof)
    {
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(proof);
        if (!IsOpen(child) || child.Parent != proof.Parent
            || proof.Status is not (ExecutionStatus.Completed or ExecutionStatus.Denied or ExecutionStatus.Halted))
        {
            return null;
        }

        var detail = $"parent execution '{proof.ExecutionId}' of '{proof.Ledger}' is {proof.Status.ToWireName()} (attestation {proof.AttestationDigest}, checkpoint size {proof.CheckpointSize.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
        return [proof, End(child, Reason.ParentHalted, detail)];
    }

    /// <summary>
    /// The end of an open child whose remote parent could not be proven within <c>maxPeerSilence</c>
    /// (<c>federation-sync-lost</c>), or whose peer showed a split view (<c>peer-split-view</c>, at once); null when the
    /// child is not open, has no remote parent, or (for <c>federation-sync-lost</c>) is not silent.
    /// </summary>
    public static ITermination? EndForLostParent(
        ExecutionState child, Reason reason, string detail, DateTimeOffset? followedAt, DateTimeOffset now, LedgerParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(reason);
        if (!IsOpen(child) || child.Parent is null)
        {
            return null;
        }

        if (reason == Reason.FederationSyncLost)
        {
            return IsSilent(child, followedAt, now, parameters) ? End(child, reason, detail) : null;
        }

        return reason == Reason.PeerSplitView ? End(child, reason, detail) : throw new ArgumentOutOfRangeException(nameof(reason), reason.Code, "Only federation-sync-lost and peer-split-view end a child for its peer.");
    }

    private static bool IsOpen(ExecutionState state) => !state.IsTerminal && state.Status != ExecutionStatus.None;

    private static ITermination End(ExecutionState child, Reason reason, string detail) =>
        child.Status == ExecutionStatus.Running ? new ExecutionHalted(reason, detail) : new ExecutionDenied(reason, detail);
}
