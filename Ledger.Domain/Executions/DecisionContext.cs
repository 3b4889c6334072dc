using Ledger.Domain.Parameters;

namespace Ledger.Domain.Executions;

/// <summary>What, besides the execution's own state, a decision depends on.</summary>
/// <param name="RecordedAt">The ledger's <c>recordedAt</c> for the submission: all time rules use it, so a replay decides as the server did.</param>
/// <param name="Parameters">The ledger parameters in force at the submission's position.</param>
/// <remarks>
/// For an execution with a parent (or an intent naming one), set <see cref="Parent"/> to the
/// parent's state for every submission when the parent lives on this ledger; null then means the
/// parent does not exist. Set <see cref="ParentIsRemote"/> when the parent reference names another
/// ledger: lineage rules are then checked against the state federation proves, when it is supplied; until federation supplies one, a remote parent is refused (<c>lineage-broken</c>).
/// Immutable.
/// </remarks>
public sealed record DecisionContext(DateTimeOffset RecordedAt, LedgerParameters Parameters)
{
    /// <summary>The parent's state, when the parent is known (on this ledger); null when absent.</summary>
    public ExecutionState? Parent { get; init; }

    /// <summary>Whether the parent reference names another ledger.</summary>
    public bool ParentIsRemote { get; init; }

    /// <summary>
    /// For a remote parent on a configured peer whose attestation could not be had or verified (peer down, wrong key,
    /// quorum missing, split view): the reason and detail a submission that depends on the parent is refused with
    /// (<c>federation-sync-lost</c>, <c>peer-split-view</c>, or <c>lineage-broken</c> when the peer has no such execution).
    /// </summary>
    public (Reason Reason, string Detail)? RemoteParentProblem { get; init; }

    /// <summary>
    /// Set only by an offline verifier reading part of a log: the parent is on this ledger but its entries are
    /// not in what is being replayed, so the lineage rules (parent running, attenuation) cannot be checked and
    /// are skipped. The ledger itself never sets it.
    /// </summary>
    public bool LineageUnchecked { get; init; }

    /// <summary>
    /// The nearest ancestor (parent, grandparent, ...) on this ledger that was denied or halted, or null. While
    /// it is set, every submission of the execution is refused with <c>parent-halted</c>, also before the
    /// cascade has appended the execution's own end (DESIGN §3, fail closed).
    /// </summary>
    public ExecutionId? EndedAncestor { get; init; }

    /// <summary>
    /// This context with the remote parent's proven state from <paramref name="state"/>'s latest
    /// <see cref="ParentAttested"/>, when it is about <paramref name="parent"/> (DESIGN §8.2): the one place the server and
    /// the offline replay turn an attestation into the parent the lineage rules read.
    /// </summary>
    public DecisionContext WithAttestedParent(ExecutionState state, ParentRef? parent)
    {
        ArgumentNullException.ThrowIfNull(state);
        return parent is not null && state.AttestedParent is { } attested && attested.Parent == parent
            ? this with { ParentIsRemote = true, Parent = attested.ToState(), ParentAttestedAt = attested.AttestedAt }
            : this;
    }

    /// <summary>
    /// The <c>$governance</c> stream as committed before the submission (DESIGN §8.2): a <c>governance-synchronized</c>
    /// claim's synced domains that this ledger is home for are checked against their latest publication. Empty (the
    /// default) checks nothing more.
    /// </summary>
    public Publications.GovernanceBook Governance { get; init; } = Ledger.Domain.Publications.GovernanceBook.Empty;

    /// <summary>
    /// For a governance claim naming a domain whose home is a configured peer whose governance attestation could not be
    /// had or verified (peer down, an error answer, a §10.3 failure): the reason (<c>governance-stale</c>) and detail the
    /// claim is refused with. Set only by the ledger; a replay reads the recorded <see cref="GovernanceAttested"/> instead.
    /// </summary>
    public (Reason Reason, string Detail)? RemoteGovernanceProblem { get; init; }

    /// <summary>When the remote parent's state in <see cref="Parent"/> was attested (its statement's time); null for a local parent.</summary>
    public DateTimeOffset? ParentAttestedAt { get; init; }
}
