using System.Diagnostics;

namespace Ledger.Domain.Executions;

/// <summary>
/// The governed-execution lifecycle (DESIGN §3) as pure functions: <see cref="Evolve"/> folds
/// events into <see cref="ExecutionState"/>, <see cref="Decide"/> answers submissions, and
/// <see cref="Status"/> says whether an execution may act now.
/// </summary>
/// <remarks>
/// No I/O, no clock: time is always the ledger's <c>recordedAt</c> (or the <c>now</c> passed in),
/// so an offline replay reaches exactly the decisions the server reached. Stateless and thread-safe.
/// </remarks>
public static partial class Execution
{
    /// <summary>Applies one recorded event to the state.</summary>
    /// <param name="state">The state before the event.</param>
    /// <param name="event">The event, as recorded (accepted, or appended by the ledger).</param>
    /// <param name="recordedAt">The entry's <c>recordedAt</c>.</param>
    /// <param name="domain">The entry's <c>domain</c> (the origin domain, for an intent).</param>
    /// <returns>The state after the event.</returns>
    /// <remarks>
    /// Evolve does not judge: it folds whatever the log holds. Whether an event was allowed is
    /// <see cref="Decide"/>'s question.
    /// </remarks>
    public static ExecutionState Evolve(ExecutionState state, IExecutionEvent @event, DateTimeOffset recordedAt, string domain)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(@event);
        return @event switch
        {
            IntentDeclared e => state with
            {
                Status = ExecutionStatus.Declared,
                Phase = ExecutionPhase.Intent,
                OriginDomain = domain,
                Actor = e.Actor,
                Action = e.Action,
                TargetDomains = e.TargetDomains,
                RequestedScope = e.RequestedScope,
                Parent = e.Parent,
                DeclaredAt = recordedAt,
            },
            GovernanceSynchronized e => state with
            {
                Status = ExecutionStatus.Governed,
                Phase = ExecutionPhase.GovernanceSync,
                PolicyDigest = e.PolicyDigest,
                GovernanceSyncedAt = OldestSync(state, e),
            },
            AuthorizationIssued e => state with
            {
                Status = ExecutionStatus.Authorized,
                Phase = ExecutionPhase.Authorization,
                AuthorizationId = e.AuthorizationId,
                Issuer = e.Issuer,
                GrantedScope = e.GrantedScope,
                NotBefore = e.NotBefore,
                ExpiresAt = e.ExpiresAt,
            },
            RuntimeTrustEstablished e => state with
            {
                Status = ExecutionStatus.Trusted,
                Phase = ExecutionPhase.RuntimeTrust,
                Workload = e.Workload,
                Measurement = e.Measurement,
            },
            ExecutionStarted e => state with
            {
                Status = ExecutionStatus.Running,
                Phase = ExecutionPhase.Start,
                StartedAt = recordedAt,
                RuntimeNode = e.RuntimeNode,
            },
            RuntimeVerified => state with
            {
                Phase = ExecutionPhase.Verification,
                LastVerifiedAt = recordedAt,
                VerificationCount = checked(state.VerificationCount + 1),
            },
            ExecutionCompleted e => state with
            {
                Status = ExecutionStatus.Completed,
                Phase = ExecutionPhase.End,
                Outcome = e.Outcome,
                EndedAt = recordedAt,
            },
            ExecutionDenied e => state with
            {
                Status = ExecutionStatus.Denied,
                Reason = e.Reason,
                ReasonDetail = e.Detail,
                EndedAt = recordedAt,
            },
            ExecutionHalted e => state with
            {
                Status = ExecutionStatus.Halted,
                Reason = e.Reason,
                ReasonDetail = e.Detail,
                EndedAt = recordedAt,
            },
            ParentAttested e => state with
            {
                AttestedParent = new AttestedParent(e.Parent, e.Status, e.GrantedScope, e.ExpiresAt, e.AttestedAt, e.AttestationDigest),
            },
            GovernanceAttested e => state with
            {
                AttestedGovernance = [.. state.AttestedGovernance, e],
            },
            ProofPersisted => state with
            {
                Phase = ExecutionPhase.Proof,
                IsProven = true,
            },
            _ => throw new UnreachableException($"Evolve has no case for {@event.GetType().FullName}."),
        };
    }

    /// <summary>Folds a whole stream, starting from <see cref="ExecutionState.Initial"/>.</summary>
    /// <param name="id">The execution.</param>
    /// <param name="events">The stream's events in order, each with its <c>recordedAt</c> and <c>domain</c>.</param>
    public static ExecutionState Replay(ExecutionId id, IEnumerable<(IExecutionEvent Event, DateTimeOffset RecordedAt, string Domain)> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var state = ExecutionState.Initial(id);
        foreach (var (e, recordedAt, domain) in events)
        {
            state = Evolve(state, e, recordedAt, domain);
        }

        return state;
    }

    /// <summary>Whether the execution may act at <paramref name="now"/>, and until when.</summary>
    /// <param name="state">The execution's state.</param>
    /// <param name="now">The instant asked about.</param>
    /// <param name="parameters">The ledger parameters in force now.</param>
    /// <param name="endedAncestor">
    /// The nearest denied or halted ancestor, if any: the execution is then never allowed (<c>parent-halted</c>),
    /// even before the cascade has appended its own end.
    /// </param>
    /// <param name="remoteFollow">
    /// What the follow job last proved of the execution's remote parent (read with the record): its verification time
    /// counts as an attestation, and a parent it proved ended makes the execution not allowed (<c>parent-halted</c>)
    /// even before the follow job appended the end.
    /// </param>
    public static ExecutionClearance Status(
        ExecutionState state, DateTimeOffset now, Parameters.LedgerParameters parameters, ExecutionId? endedAncestor = null, (DateTimeOffset VerifiedAt, ExecutionStatus Status)? remoteFollow = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(parameters);
        if (state.Status != ExecutionStatus.Running)
        {
            return new ExecutionClearance(false, state.Status, state.Phase, state.Reason ?? (endedAncestor is null || state.IsTerminal ? null : Reason.ParentHalted), null);
        }

        if (endedAncestor is not null)
        {
            return new ExecutionClearance(false, state.Status, state.Phase, Reason.ParentHalted, null);
        }

        if (state.AttestedParent is not null)
        {
            if (remoteFollow is { Status: ExecutionStatus.Completed or ExecutionStatus.Denied or ExecutionStatus.Halted })
            {
                return new ExecutionClearance(false, state.Status, state.Phase, Reason.ParentHalted, null);
            }

            if (RemoteLineage.IsSilent(state, remoteFollow?.VerifiedAt, now, parameters))
            {
                return new ExecutionClearance(false, state.Status, state.Phase, Reason.FederationSyncLost, null);
            }
        }

        var validUntil = Deadlines.ValidUntil(state, parameters);
        var overdue = Deadlines.Overdue(state, now, parameters);
        var trusted = state.Measurement is not null && state.Workload == state.Actor;
        return new ExecutionClearance(overdue is null && trusted, state.Status, state.Phase, overdue?.Reason, validUntil);
    }

    private static DateTimeOffset? OldestSync(ExecutionState state, GovernanceSynchronized e)
    {
        // The oldest sync among the target domains, or among all when none of them was synced (no allocation: rebuilds fold millions).
        DateTimeOffset? oldestTarget = null;
        DateTimeOffset? oldest = null;
        foreach (var synced in e.SyncedDomains)
        {
            if (oldest is null || synced.SyncedAt < oldest)
            {
                oldest = synced.SyncedAt;
            }

            if ((oldestTarget is null || synced.SyncedAt < oldestTarget) && IsTarget(state.TargetDomains, synced.Domain))
            {
                oldestTarget = synced.SyncedAt;
            }
        }

        return oldestTarget ?? oldest;
    }

    private static bool IsTarget(IReadOnlyList<string> targets, string domain)
    {
        for (var i = 0; i < targets.Count; i++)
        {
            if (string.Equals(targets[i], domain, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
