using Ledger.Domain.Events;

namespace Ledger.Domain.Executions;

// Replay's audit of what the ledger appended on its own (refusals, cascades, sweeps).
public static partial class Execution
{
    private static Decision JustifyLedgerEvent(ExecutionState state, Submission submission, DecisionContext context)
    {
        if (submission.Event is ParentAttested attested)
        {
            // It precedes the intent (whose parent it must then name) or proves the parent of a declared child.
            return state.Parent is null || state.Parent == attested.Parent
                ? new Decision.Accepted()
                : Unjustified($"execution '{state.Id}' has parent '{state.Parent.ExecutionId}' of '{state.Parent.Ledger}', not the attested '{attested.ExecutionId}' of '{attested.Ledger}'");
        }

        if (submission.Event is GovernanceAttested)
        {
            // It precedes the governance claim it decides, so it is recorded only while the execution awaits one.
            return state.Status == ExecutionStatus.Declared
                ? new Decision.Accepted()
                : Unjustified($"a governance attestation precedes a governance claim; execution '{state.Id}' is '{state.Status.ToWireName()}'");
        }

        if (submission.Event is not ITermination termination)
        {
            return Unjustified($"the ledger appends only proofs, denials and halts, not {submission.Type}");
        }

        var running = state.Status == ExecutionStatus.Running;
        if ((termination is ExecutionHalted) != running)
        {
            return Unjustified($"{submission.Type} does not fit an execution that is '{state.Status.ToWireName()}'");
        }

        if (termination.Rejected is not null)
        {
            // A refusal: the refused submission is not in the log, only its digest, so the refusal stands as recorded.
            return new Decision.Accepted();
        }

        var reason = termination.Reason;
        if (reason == Reason.ParentHalted)
        {
            if (state.Parent is null)
            {
                return Unjustified($"execution '{state.Id}' has no parent");
            }

            if (context.ParentIsRemote)
            {
                // The follow job ends a child of a remote parent only with the attestation that proves the parent ended,
                // appended just before the end (federation.parent-attested.v1).
                return context.Parent is { IsTerminal: true }
                    ? new Decision.Accepted()
                    : Unjustified($"no attestation recorded before it proves that parent execution '{state.Parent.ExecutionId}' of '{state.Parent.Ledger}' ended");
            }

            return context.LineageUnchecked || context.Parent is { IsTerminal: true }
                ? new Decision.Accepted()
                : Unjustified($"parent execution '{state.Parent.ExecutionId}' has not ended");
        }

        if (reason == Reason.FederationSyncLost || reason == Reason.PeerSplitView)
        {
            if (!context.ParentIsRemote)
            {
                return Unjustified($"execution '{state.Id}' has no parent on another ledger");
            }

            // Silence is judged against the last attestation the log holds: the follow job's later verifications are
            // not in the log, so a justified end is always at least this late.
            return reason == Reason.PeerSplitView || RemoteLineage.IsSilent(state, null, context.RecordedAt, context.Parameters)
                ? new Decision.Accepted()
                : Unjustified($"the parent of '{state.Id}' was attested at {Rfc3339.Format(state.AttestedParent!.AttestedAt)}, within maxPeerSilence of this end");
        }

        if (reason == Reason.IntentExpired && !running && state.DeclaredAt is not null)
        {
            return Deadlines.IntentExpired(state, context.RecordedAt, context.Parameters) is not null
                ? new Decision.Accepted()
                : Unjustified($"the intent of '{state.Id}' has not outlived intentTtl");
        }

        if ((reason == Reason.RuntimeVerificationMissed || reason == Reason.AuthorizationExpired) && running)
        {
            return Deadlines.Overdue(state, context.RecordedAt, context.Parameters) is { } overdue && overdue.Reason == reason
                ? new Decision.Accepted()
                : Unjustified($"execution '{state.Id}' is not overdue for '{reason.Code}'");
        }

        return Unjustified($"the ledger does not append '{reason.Code}' on its own for an execution that is '{state.Status.ToWireName()}'");
    }

    private static Decision.Invalid Unjustified(string detail) => new("ledger-event-unjustified", detail);
}
