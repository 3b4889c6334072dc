using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class StartRulesTests
{
    private static readonly Lifecycle Trusted = Lifecycle.Given(UpTo(ExecutionStatus.Trusted));

    /// <summary>Authorization valid [T0+10m, T0+20m]; intent TTL long enough to reach both ends.</summary>
    private static readonly Lifecycle TrustedWithLateWindow = Lifecycle.Given(
        new(Intent(), T0), new(Governance(), At(1)), new(Authorization(notBefore: At(10), expiresAt: At(20)), At(2)), new(Trust(), At(3)));

    [Fact]
    public void Start_inside_the_authorization_window_is_accepted() =>
        Trusted.At(At(4)).When(Start()).ThenAccepted();

    [Fact]
    public void Start_at_not_before_is_accepted() =>
        TrustedWithLateWindow.At(At(10)).When(Start()).ThenAccepted();

    [Fact]
    public void Start_at_expires_at_is_accepted() =>
        TrustedWithLateWindow.At(At(20)).When(Start()).ThenAccepted();

    [Fact]
    public void Start_before_not_before_is_denied_authorization_expired() =>
        TrustedWithLateWindow.At(At(10).AddTicks(-10)).When(Start()).ThenDenied(Reason.AuthorizationExpired);

    [Fact]
    public void Start_after_expires_at_is_denied_authorization_expired() =>
        TrustedWithLateWindow.At(At(20).AddTicks(10)).When(Start()).ThenDenied(Reason.AuthorizationExpired);

    [Fact]
    public void Start_after_intent_ttl_is_denied_intent_expired() =>
        Trusted.At(At(60, 1)).When(Start()).ThenDenied(Reason.IntentExpired);

    [Fact]
    public void Start_with_governance_older_than_max_policy_age_is_denied_governance_stale()
    {
        var parameters = new LedgerParameters(TimeSpan.FromMinutes(10), TimeSpan.FromHours(24), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));

        Trusted.With(parameters).At(At(10, 31)).When(Start()).ThenDenied(Reason.GovernanceStale);
    }

    [Fact]
    public void Start_with_governance_exactly_max_policy_age_old_is_accepted()
    {
        var parameters = new LedgerParameters(TimeSpan.FromMinutes(10), TimeSpan.FromHours(24), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));

        Trusted.With(parameters).At(At(10, 30)).When(Start()).ThenAccepted();
    }

    [Fact]
    public void Start_before_runtime_trust_is_denied_phase_order_violated() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Authorized)).When(Start()).ThenDenied(Reason.PhaseOrderViolated);

    [Fact]
    public void Child_start_while_its_parent_runs_is_accepted() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Trusted, parent: ParentRef())).WithParent(RunningParent()).When(Start()).ThenAccepted();

    [Fact]
    public void Child_start_after_its_parent_completed_is_denied_lineage_broken() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Trusted, parent: ParentRef())).WithParent(State(CompletedHistory(ParentId), ParentId))
            .When(Start()).ThenDenied(Reason.LineageBroken);

    [Fact]
    public void Child_start_whose_local_parent_is_missing_is_denied_lineage_broken() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Trusted, parent: ParentRef())).WithParent(null).When(Start()).ThenDenied(Reason.LineageBroken);

    [Fact]
    public void Child_start_under_a_remote_parent_without_its_proven_state_is_denied_lineage_broken() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Trusted, parent: ParentRef())).WithRemoteParent().When(Start()).ThenDenied(Reason.LineageBroken);

    [Fact]
    public void Child_start_under_a_remote_parent_proven_running_is_accepted() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Trusted, parent: ParentRef())).WithRemoteParent(RunningParent()).When(Start()).ThenAccepted();

    [Fact]
    public void Accepted_start_records_the_time_and_node()
    {
        var state = State(UpTo(ExecutionStatus.Running));

        state.Status.ShouldBe(ExecutionStatus.Running);
        state.Phase.ShouldBe(ExecutionPhase.Start);
        state.StartedAt.ShouldBe(At(4));
        state.RuntimeNode.ShouldBe("node-17");
    }
}
