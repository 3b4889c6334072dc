using System.Diagnostics;
using Ledger.Domain.Events;

namespace Ledger.Domain.Executions;

public static partial class Execution
{
    /// <summary>Answers one submission for an execution's stream.</summary>
    /// <param name="state">The execution's state before the submission (<see cref="ExecutionState.Initial"/> for a new stream).</param>
    /// <param name="submission">The parsed event with its envelope facts.</param>
    /// <param name="context">The ledger's time, the parameters in force and the parent's state.</param>
    /// <returns>
    /// <see cref="Decision.Accepted"/>, <see cref="Decision.Refused"/> (fail closed: the ledger appends
    /// the denial or halt it carries), <see cref="Decision.Conflict"/> or <see cref="Decision.Invalid"/>.
    /// </returns>
    /// <remarks>
    /// Checks run in a fixed order and the first broken rule decides: terminal state, request
    /// validity, phase order, then the phase's own rules (see docs/FORMAT.md §6). Submissions marked
    /// <see cref="Submission.ByLedger"/> are checked for justification instead, so a replay can audit
    /// what the ledger appended on its own.
    /// </remarks>
    /// <exception cref="ArgumentException">The submission's type is not its event's wire name, or the parent state is not the referenced parent.</exception>
    public static Decision Decide(ExecutionState state, Submission submission, DecisionContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(context);
        var wireName = WireNames.Of(submission.Event.GetType());
        if (!string.Equals(wireName, submission.Type, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Submission type '{submission.Type}' is not the event's wire name '{wireName}'.", nameof(submission));
        }

        var parentId = (submission.Event as IntentDeclared)?.Parent?.ExecutionId ?? state.Parent?.ExecutionId;
        if (context.Parent is not null && parentId is not null && context.Parent.Id != parentId)
        {
            throw new ArgumentException($"The context's parent '{context.Parent.Id}' is not the referenced parent '{parentId}'.", nameof(context));
        }

        if (submission.Event is ProofPersisted)
        {
            return DecideProof(state, submission);
        }

        if (submission.Event is ParentAttested or GovernanceAttested && !submission.ByLedger)
        {
            return new Decision.Invalid("ledger-only-event", $"{submission.Type} is appended by the ledger only");
        }

        if (state.IsTerminal)
        {
            return new Decision.Conflict("execution-terminal",
                $"execution '{state.Id}' is already {state.Status.ToWireName()}; only its proof may follow");
        }

        if (submission.ByLedger)
        {
            return JustifyLedgerEvent(state, submission, context);
        }

        if (submission.Event is ITermination { Rejected: not null })
        {
            return new Decision.Invalid("rejected-reserved", "only the ledger records a rejected submission in a denial or halt");
        }

        if (context.EndedAncestor is { } ancestor)
        {
            return Refuse(state, submission, Reason.ParentHalted,
                $"ancestor execution '{ancestor}' was denied or halted; execution '{state.Id}' may not proceed");
        }

        if (submission.Event is IntentDeclared intent)
        {
            return DecideIntent(state, submission, intent, context);
        }

        if (state.Status != ExecutionStatus.None && !state.TargetDomains.Contains(submission.Domain, StringComparer.Ordinal))
        {
            return new Decision.Invalid("domain-not-targeted",
                $"domain '{submission.Domain}' is not a target domain of execution '{state.Id}' ({string.Join(", ", state.TargetDomains)})");
        }

        return submission.Event switch
        {
            GovernanceSynchronized e => DecideGovernance(state, submission, e, context),
            AuthorizationIssued e => DecideAuthorization(state, submission, e, context),
            RuntimeTrustEstablished e => DecideRuntimeTrust(state, submission, e, context),
            ExecutionStarted => DecideStart(state, submission, context),
            RuntimeVerified e => DecideVerification(state, submission, e, context),
            ExecutionCompleted => DecideCompletion(state, submission, context),
            ExecutionDenied => state.Status == ExecutionStatus.Running
                ? Refuse(state, submission, Reason.PhaseOrderViolated, "execution.denied.v1 ends an execution before start; this one is running (use execution.halted.v1)")
                : new Decision.Accepted(),
            ExecutionHalted => state.Status == ExecutionStatus.Running
                ? new Decision.Accepted()
                : Refuse(state, submission, Reason.PhaseOrderViolated, $"execution.halted.v1 ends a running execution; this one is {state.Status.ToWireName()} (use execution.denied.v1)"),
            _ => throw new UnreachableException($"Decide has no case for {submission.Event.GetType().FullName}."),
        };
    }

    /// <summary>The refusal: a denial before start, a halt after, carrying the submission as evidence.</summary>
    private static Decision.Refused Refuse(ExecutionState state, Submission submission, Reason reason, string detail)
    {
        var rejected = new RejectedEvent(submission.EventId, submission.Type, submission.Digest);
        IExecutionEvent terminal = state.Status == ExecutionStatus.Running
            ? new ExecutionHalted(reason, detail, rejected)
            : new ExecutionDenied(reason, detail, rejected);
        return new Decision.Refused(reason, detail, [terminal]);
    }

    private static Decision.Refused OutOfOrder(ExecutionState state, Submission submission, ExecutionStatus expected) =>
        Refuse(state, submission, Reason.PhaseOrderViolated,
            $"{submission.Type} follows status '{expected.ToWireName()}'; execution '{state.Id}' is '{state.Status.ToWireName()}'");

    private static Decision DecideProof(ExecutionState state, Submission submission)
    {
        if (!submission.ByLedger)
        {
            return new Decision.Invalid("ledger-only-event", $"{submission.Type} is appended by the ledger only");
        }

        if (!state.IsTerminal)
        {
            return new Decision.Conflict("execution-not-terminal",
                $"execution '{state.Id}' is '{state.Status.ToWireName()}'; a proof is persisted only once it has ended");
        }

        return state.IsProven
            ? new Decision.Conflict("proof-already-persisted", $"execution '{state.Id}' already has its proof")
            : new Decision.Accepted();
    }
}
