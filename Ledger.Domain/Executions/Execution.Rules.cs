using Ledger.Domain.Events;

namespace Ledger.Domain.Executions;

// The rules of each phase (DESIGN §3). Each method runs its checks in order; the first broken one refuses.
public static partial class Execution
{
    private static Decision DecideIntent(ExecutionState state, Submission submission, IntentDeclared intent, DecisionContext context)
    {
        if (state.Status != ExecutionStatus.None)
        {
            return new Decision.Conflict("execution-exists", $"execution '{state.Id}' has already been declared");
        }

        if (intent.ExecutionId != state.Id)
        {
            return new Decision.Invalid("execution-id-mismatch",
                $"the intent declares execution '{intent.ExecutionId}' but was submitted to the stream of '{state.Id}'");
        }

        if (!intent.TargetDomains.Contains(submission.Domain, StringComparer.Ordinal))
        {
            return new Decision.Invalid("origin-not-targeted",
                $"the origin domain '{submission.Domain}' is not among the target domains ({string.Join(", ", intent.TargetDomains)})");
        }

        if (intent.Parent is { } parent)
        {
            if (parent.ExecutionId == state.Id && !context.ParentIsRemote)
            {
                return Refuse(state, submission, Reason.LineageBroken, $"execution '{state.Id}' names itself as its parent");
            }

            if (ParentNotRunning(parent, context, "declares intent") is { } broken)
            {
                return Refuse(state, submission, broken.Reason, broken.Detail);
            }
        }

        return new Decision.Accepted();
    }

    private static Decision DecideGovernance(ExecutionState state, Submission submission, GovernanceSynchronized sync, DecisionContext context)
    {
        if (state.Status != ExecutionStatus.Declared)
        {
            return OutOfOrder(state, submission, ExecutionStatus.Declared);
        }

        if (Deadlines.IntentExpired(state, context.RecordedAt, context.Parameters) is { } expired)
        {
            return Refuse(state, submission, Reason.IntentExpired, expired);
        }

        foreach (var domain in state.TargetDomains)
        {
            var synced = sync.SyncedDomains.FirstOrDefault(d => string.Equals(d.Domain, domain, StringComparison.Ordinal));
            if (synced is null)
            {
                return Refuse(state, submission, Reason.GovernanceInconsistent, $"target domain '{domain}' is not among the synced domains");
            }

            if (!string.Equals(synced.PolicyDigest, sync.PolicyDigest, StringComparison.Ordinal))
            {
                return Refuse(state, submission, Reason.GovernanceInconsistent,
                    $"domain '{domain}' synced policy digest {synced.PolicyDigest}, not the policy's {sync.PolicyDigest}");
            }

            if (synced.SyncedAt > context.RecordedAt)
            {
                return Refuse(state, submission, Reason.GovernanceInconsistent,
                    $"domain '{domain}' claims a sync at {Rfc3339.Format(synced.SyncedAt)}, after the ledger's time {Rfc3339.Format(context.RecordedAt)}");
            }
        }

        foreach (var domain in state.TargetDomains)
        {
            var synced = sync.SyncedDomains.First(d => string.Equals(d.Domain, domain, StringComparison.Ordinal));
            if (context.RecordedAt - synced.SyncedAt > context.Parameters.MaxPolicyAge)
            {
                return Refuse(state, submission, Reason.GovernanceStale,
                    $"domain '{domain}' synced at {Rfc3339.Format(synced.SyncedAt)}, older than maxPolicyAge {Deadlines.Duration(context.Parameters.MaxPolicyAge)} at {Rfc3339.Format(context.RecordedAt)}");
            }
        }

        if (context.Governance.CheckClaim(sync, context.RecordedAt, context.Parameters.MaxPolicyAge) is { } unpublished)
        {
            return Refuse(state, submission, unpublished.Reason, unpublished.Detail);
        }

        if (context.RemoteGovernanceProblem is { } unproven)
        {
            return Refuse(state, submission, unproven.Reason, unproven.Detail);
        }

        if (Publications.GovernanceBook.CheckAttestedClaim(sync, state.AttestedGovernance, context.RecordedAt, context.Parameters.MaxPolicyAge) is { } remote)
        {
            return Refuse(state, submission, remote.Reason, remote.Detail);
        }

        return new Decision.Accepted();
    }

    private static Decision DecideAuthorization(ExecutionState state, Submission submission, AuthorizationIssued authorization, DecisionContext context)
    {
        if (state.Status != ExecutionStatus.Governed)
        {
            return OutOfOrder(state, submission, ExecutionStatus.Governed);
        }

        if (Deadlines.IntentExpired(state, context.RecordedAt, context.Parameters) is { } expired)
        {
            return Refuse(state, submission, Reason.IntentExpired, expired);
        }

        if (!state.TargetDomains.Contains(authorization.Issuer, StringComparer.Ordinal))
        {
            return Refuse(state, submission, Reason.AuthorizationIssuerUntrusted,
                $"issuer '{authorization.Issuer}' is not a target domain ({string.Join(", ", state.TargetDomains)})");
        }

        if (!string.Equals(authorization.Issuer, submission.Domain, StringComparison.Ordinal))
        {
            return Refuse(state, submission, Reason.AuthorizationIssuerUntrusted,
                $"the authorization of issuer '{authorization.Issuer}' was submitted for domain '{submission.Domain}'");
        }

        var excess = authorization.GrantedScope.Except(state.RequestedScope, StringComparer.Ordinal).ToList();
        if (excess.Count > 0)
        {
            return Refuse(state, submission, Reason.AuthorizationScopeExceeded,
                $"granted scope {string.Join(", ", excess)} was not requested");
        }

        if (state.Parent is not null)
        {
            var attenuation = CheckAttenuation(state, authorization, context);
            if (attenuation is not null)
            {
                return Refuse(state, submission, attenuation.Value.Reason, attenuation.Value.Detail);
            }
        }

        var lifetime = authorization.ExpiresAt - authorization.NotBefore;
        if (lifetime > context.Parameters.MaxAuthorizationTtl)
        {
            return Refuse(state, submission, Reason.AuthorizationScopeExceeded,
                $"the authorization lives {Deadlines.Duration(lifetime)}, longer than maxAuthorizationTtl {Deadlines.Duration(context.Parameters.MaxAuthorizationTtl)}");
        }

        if (context.RecordedAt > authorization.ExpiresAt)
        {
            return Refuse(state, submission, Reason.AuthorizationExpired,
                $"the authorization expired at {Rfc3339.Format(authorization.ExpiresAt)}, before it was recorded at {Rfc3339.Format(context.RecordedAt)}");
        }

        return new Decision.Accepted();
    }

    /// <summary>A child's authorization may not exceed its parent's, in scope or in time.</summary>
    private static (Reason Reason, string Detail)? CheckAttenuation(ExecutionState state, AuthorizationIssued authorization, DecisionContext context)
    {
        var parent = context.Parent;
        if (parent is null && context.LineageUnchecked)
        {
            return null;
        }

        if (parent is null)
        {
            return context.ParentIsRemote
                ? (Reason.LineageBroken, $"parent ledger '{state.Parent!.Ledger}' is not a peer of this ledger: its execution '{state.Parent.ExecutionId}' cannot be checked")
                : (Reason.LineageBroken, $"parent execution '{state.Parent!.ExecutionId}' does not exist on this ledger");
        }

        if (parent.ExpiresAt is null)
        {
            return (Reason.LineageBroken, $"parent execution '{parent.Id}' holds no authorization to attenuate");
        }

        var excess = authorization.GrantedScope.Except(parent.GrantedScope, StringComparer.Ordinal).ToList();
        if (excess.Count > 0)
        {
            return (Reason.AuthorizationScopeExceeded,
                $"granted scope {string.Join(", ", excess)} is not held by parent execution '{parent.Id}'");
        }

        if (authorization.ExpiresAt > parent.ExpiresAt)
        {
            return (Reason.AuthorizationScopeExceeded,
                $"the authorization expires at {Rfc3339.Format(authorization.ExpiresAt)}, after its parent's {Rfc3339.Format(parent.ExpiresAt.Value)}");
        }

        return null;
    }

    private static Decision DecideRuntimeTrust(ExecutionState state, Submission submission, RuntimeTrustEstablished trust, DecisionContext context)
    {
        if (state.Status != ExecutionStatus.Authorized)
        {
            return OutOfOrder(state, submission, ExecutionStatus.Authorized);
        }

        if (Deadlines.IntentExpired(state, context.RecordedAt, context.Parameters) is { } expired)
        {
            return Refuse(state, submission, Reason.IntentExpired, expired);
        }

        if (!string.Equals(trust.Workload, state.Actor, StringComparison.Ordinal))
        {
            return Refuse(state, submission, Reason.RuntimeTrustFailed,
                $"the attested workload '{trust.Workload}' is not the actor '{state.Actor}'");
        }

        return trust.Verdict == TrustVerdict.Trusted
            ? new Decision.Accepted()
            : Refuse(state, submission, Reason.RuntimeTrustFailed, $"verifier '{trust.Verifier}' found the workload untrusted");
    }

    private static Decision DecideStart(ExecutionState state, Submission submission, DecisionContext context)
    {
        if (state.Status != ExecutionStatus.Trusted)
        {
            return OutOfOrder(state, submission, ExecutionStatus.Trusted);
        }

        if (Deadlines.IntentExpired(state, context.RecordedAt, context.Parameters) is { } expired)
        {
            return Refuse(state, submission, Reason.IntentExpired, expired);
        }

        var now = context.RecordedAt;
        if (now < state.NotBefore || now > state.ExpiresAt)
        {
            return Refuse(state, submission, Reason.AuthorizationExpired,
                $"start at {Rfc3339.Format(now)} is outside the authorization window [{Rfc3339.Format(state.NotBefore!.Value)}, {Rfc3339.Format(state.ExpiresAt!.Value)}]");
        }

        if (now - state.GovernanceSyncedAt > context.Parameters.MaxPolicyAge)
        {
            return Refuse(state, submission, Reason.GovernanceStale,
                $"the oldest policy sync, at {Rfc3339.Format(state.GovernanceSyncedAt!.Value)}, is older than maxPolicyAge {Deadlines.Duration(context.Parameters.MaxPolicyAge)} at start");
        }

        if (state.Parent is { } parent && ParentNotRunning(parent, context, "starts") is { } broken)
        {
            return Refuse(state, submission, broken.Reason, broken.Detail);
        }

        return new Decision.Accepted();
    }

    private static Decision DecideVerification(ExecutionState state, Submission submission, RuntimeVerified verification, DecisionContext context)
    {
        if (state.Status != ExecutionStatus.Running)
        {
            return OutOfOrder(state, submission, ExecutionStatus.Running);
        }

        if (Deadlines.Overdue(state, context.RecordedAt, context.Parameters) is { } overdue)
        {
            return Refuse(state, submission, overdue.Reason, overdue.Detail);
        }

        if (!string.Equals(verification.Measurement, state.Measurement, StringComparison.Ordinal))
        {
            return Refuse(state, submission, Reason.MeasurementDrift,
                $"measured {verification.Measurement}; trust was established with {state.Measurement}");
        }

        return verification.Verdict == VerificationVerdict.Ok
            ? new Decision.Accepted()
            : Refuse(state, submission, Reason.RuntimeVerificationFailed, "the runtime verification reported 'failed'");
    }

    private static Decision DecideCompletion(ExecutionState state, Submission submission, DecisionContext context)
    {
        if (state.Status != ExecutionStatus.Running)
        {
            return OutOfOrder(state, submission, ExecutionStatus.Running);
        }

        if (Deadlines.Overdue(state, context.RecordedAt, context.Parameters) is { } overdue)
        {
            return Refuse(state, submission, overdue.Reason, overdue.Detail);
        }

        return state.VerificationCount > 0
            ? new Decision.Accepted()
            : Refuse(state, submission, Reason.RuntimeVerificationMissed, "the execution completed without any runtime verification");
    }

    /// <summary>
    /// Null when the parent is running; else why not (a remote parent with no proven state is never running; one proven
    /// longer than maxPeerSilence ago is not proven now).
    /// </summary>
    private static (Reason Reason, string Detail)? ParentNotRunning(ParentRef parent, DecisionContext context, string when)
    {
        if (context.ParentIsRemote && context.RemoteParentProblem is { } problem)
        {
            return problem;
        }

        if (context.Parent is null && context.LineageUnchecked)
        {
            return null;
        }

        if (context.Parent is null)
        {
            return context.ParentIsRemote
                ? (Reason.LineageBroken, $"parent ledger '{parent.Ledger}' is not a peer of this ledger: its execution '{parent.ExecutionId}' cannot be checked")
                : (Reason.LineageBroken, $"parent execution '{parent.ExecutionId}' does not exist on this ledger");
        }

        if (context.ParentIsRemote && context.ParentAttestedAt is { } attestedAt && context.RecordedAt - attestedAt > context.Parameters.MaxPeerSilence)
        {
            return (Reason.FederationSyncLost,
                $"parent execution '{parent.ExecutionId}' of '{parent.Ledger}' was last attested at {Rfc3339.Format(attestedAt)}, older than maxPeerSilence {Deadlines.Duration(context.Parameters.MaxPeerSilence)} when the child {when}");
        }

        return context.Parent.Status == ExecutionStatus.Running
            ? null
            : (Reason.LineageBroken, $"parent execution '{parent.ExecutionId}' is '{context.Parent.Status.ToWireName()}', not running, when the child {when}");
    }
}
