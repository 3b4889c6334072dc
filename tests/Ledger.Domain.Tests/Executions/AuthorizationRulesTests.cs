using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class AuthorizationRulesTests
{
    private static readonly Lifecycle Governed = Lifecycle.Given(UpTo(ExecutionStatus.Governed)).At(At(2));

    private static Lifecycle GovernedChild => Lifecycle.Given(UpTo(ExecutionStatus.Governed, parent: ParentRef())).At(At(2));

    [Fact]
    public void Authorization_within_the_requested_scope_from_a_target_issuer_is_accepted() =>
        Governed.When(Authorization()).ThenAccepted();

    [Fact]
    public void Authorization_granting_exactly_the_requested_scope_is_accepted() =>
        Governed.When(Authorization(scope: ["read", "write", "exec"])).ThenAccepted();

    [Fact]
    public void Authorization_issued_by_a_domain_that_is_not_a_target_is_denied_issuer_untrusted() =>
        Governed.When(Authorization(issuer: Outsider), domain: Origin).ThenDenied(Reason.AuthorizationIssuerUntrusted);

    [Fact]
    public void Authorization_submitted_for_another_domain_than_its_issuer_is_denied_issuer_untrusted() =>
        Governed.When(Authorization(issuer: Partner), domain: Origin).ThenDenied(Reason.AuthorizationIssuerUntrusted);

    [Fact]
    public void Authorization_issued_and_submitted_by_a_partner_target_domain_is_accepted() =>
        Governed.When(Authorization(issuer: Partner), domain: Partner).ThenAccepted();

    [Fact]
    public void Authorization_granting_more_than_requested_is_denied_scope_exceeded() =>
        Governed.When(Authorization(scope: ["read", "admin"])).ThenDenied(Reason.AuthorizationScopeExceeded).Detail.ShouldContain("admin");

    [Fact]
    public void Authorization_living_longer_than_max_authorization_ttl_is_denied_scope_exceeded() =>
        Governed.When(Authorization(notBefore: At(2), expiresAt: At(2).AddHours(24).AddTicks(10))).ThenDenied(Reason.AuthorizationScopeExceeded);

    [Fact]
    public void Authorization_living_exactly_max_authorization_ttl_is_accepted() =>
        Governed.When(Authorization(notBefore: At(2), expiresAt: At(2).AddHours(24))).ThenAccepted();

    [Fact]
    public void Authorization_already_expired_when_recorded_is_denied_authorization_expired() =>
        Governed.At(At(30)).When(Authorization(notBefore: At(0), expiresAt: At(20))).ThenDenied(Reason.AuthorizationExpired);

    [Fact]
    public void Authorization_after_intent_ttl_is_denied_intent_expired() =>
        Governed.At(At(61)).When(Authorization(notBefore: At(61), expiresAt: At(120))).ThenDenied(Reason.IntentExpired);

    [Fact]
    public void Authorization_before_governance_is_denied_phase_order_violated() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).When(Authorization()).ThenDenied(Reason.PhaseOrderViolated);

    [Fact]
    public void Child_scope_within_parent_scope_is_accepted() =>
        GovernedChild.WithParent(RunningParent()).When(Authorization(scope: ["read"])).ThenAccepted();

    [Fact]
    public void Child_scope_wider_than_parent_is_denied() =>
        GovernedChild.WithParent(RunningParent()).When(Authorization(scope: ["read", "exec"]))
            .ThenDenied(Reason.AuthorizationScopeExceeded).Detail.ShouldContain("exec");

    [Fact]
    public void Child_authorization_expiring_with_its_parent_is_accepted() =>
        GovernedChild.WithParent(RunningParent()).When(Authorization(scope: ["read"], expiresAt: At(120))).ThenAccepted();

    [Fact]
    public void Child_authorization_outliving_its_parent_is_denied_scope_exceeded() =>
        GovernedChild.WithParent(RunningParent()).When(Authorization(scope: ["read"], expiresAt: At(120).AddTicks(10)))
            .ThenDenied(Reason.AuthorizationScopeExceeded);

    [Fact]
    public void Child_authorization_whose_local_parent_is_gone_is_denied_lineage_broken() =>
        GovernedChild.WithParent(null).When(Authorization(scope: ["read"])).ThenDenied(Reason.LineageBroken);

    [Fact]
    public void Child_authorization_whose_parent_holds_no_authorization_is_denied_lineage_broken() =>
        GovernedChild.WithParent(State(UpTo(ExecutionStatus.Governed, ParentId), ParentId)).When(Authorization(scope: ["read"]))
            .ThenDenied(Reason.LineageBroken);

    [Fact]
    public void Child_of_a_remote_parent_without_its_proven_state_is_denied_lineage_broken() =>
        GovernedChild.WithRemoteParent().When(Authorization(scope: ["read", "write", "exec"])).ThenDenied(Reason.LineageBroken);

    [Fact]
    public void Child_of_a_remote_parent_with_known_state_is_attenuated() =>
        GovernedChild.WithRemoteParent(RunningParent()).When(Authorization(scope: ["exec"])).ThenDenied(Reason.AuthorizationScopeExceeded);

    [Fact]
    public void Child_attenuation_is_checked_against_the_parent_even_once_it_completed() =>
        GovernedChild.WithParent(State(CompletedHistory(ParentId), ParentId)).When(Authorization(scope: ["exec"]))
            .ThenDenied(Reason.AuthorizationScopeExceeded);

    [Fact]
    public void A_shorter_max_authorization_ttl_in_force_is_applied()
    {
        var parameters = new LedgerParameters(TimeSpan.FromHours(24), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));

        Governed.With(parameters).When(Authorization(notBefore: At(2), expiresAt: At(33))).ThenDenied(Reason.AuthorizationScopeExceeded);
    }
}
