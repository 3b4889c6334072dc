using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class GovernanceRulesTests
{
    private static readonly Lifecycle Declared = Lifecycle.Given(UpTo(ExecutionStatus.Declared));

    [Fact]
    public void Every_target_domain_synced_with_the_policy_digest_is_accepted() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).At(At(1)).When(Governance()).ThenAccepted();

    [Fact]
    public void Extra_synced_domains_beyond_the_targets_are_accepted()
    {
        var sync = Governance() with
        {
            SyncedDomains = [.. Governance().SyncedDomains, new SyncedDomain(Outsider, PolicyDigest, At(0, 30))],
        };

        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).At(At(1)).When(sync).ThenAccepted();
    }

    [Fact]
    public void A_target_domain_missing_from_the_sync_is_denied_governance_inconsistent()
    {
        var sync = Governance() with { SyncedDomains = [new SyncedDomain(Origin, PolicyDigest, At(0, 30))] };

        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).At(At(1)).When(sync).ThenDenied(Reason.GovernanceInconsistent)
            .Detail.ShouldContain(Partner);
    }

    [Fact]
    public void A_domain_holding_another_policy_digest_is_denied_governance_inconsistent()
    {
        var sync = Governance() with
        {
            SyncedDomains = [new SyncedDomain(Origin, PolicyDigest, At(0, 30)), new SyncedDomain(Partner, Digest('e'), At(0, 30))],
        };

        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).At(At(1)).When(sync).ThenDenied(Reason.GovernanceInconsistent);
    }

    [Fact]
    public void A_sync_dated_after_the_ledgers_time_is_denied_governance_inconsistent() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).At(At(1)).When(Governance(syncedAt: At(1, 1))).ThenDenied(Reason.GovernanceInconsistent);

    [Fact]
    public void A_sync_older_than_max_policy_age_is_denied_governance_stale()
    {
        var parameters = new LedgerParameters(TimeSpan.FromMinutes(10), TimeSpan.FromHours(24), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));

        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).With(parameters).At(At(1)).When(Governance(syncedAt: At(1).AddMinutes(-10).AddTicks(-10)))
            .ThenDenied(Reason.GovernanceStale);
    }

    [Fact]
    public void A_sync_exactly_max_policy_age_old_is_accepted()
    {
        var parameters = new LedgerParameters(TimeSpan.FromMinutes(10), TimeSpan.FromHours(24), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));

        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).With(parameters).At(At(1)).When(Governance(syncedAt: At(1).AddMinutes(-10)))
            .ThenAccepted();
    }

    [Fact]
    public void Governance_after_intent_ttl_is_denied_intent_expired() =>
        Declared.At(At(60, 1)).When(Governance(syncedAt: At(60))).ThenDenied(Reason.IntentExpired);

    [Fact]
    public void Governance_at_the_last_instant_of_intent_ttl_is_accepted() =>
        Declared.At(At(60)).When(Governance(syncedAt: At(59))).ThenAccepted();

    [Fact]
    public void Governance_from_a_domain_that_is_not_a_target_is_invalid() =>
        Declared.At(At(1)).When(Governance(), domain: Outsider).ThenInvalid("domain-not-targeted");

    [Fact]
    public void Accepted_governance_records_the_digest_and_the_oldest_target_sync()
    {
        var sync = Governance() with
        {
            SyncedDomains = [new SyncedDomain(Origin, PolicyDigest, At(0, 40)), new SyncedDomain(Partner, PolicyDigest, At(0, 20))],
        };

        var state = State([.. UpTo(ExecutionStatus.Declared), new(sync, At(1))]);

        state.Status.ShouldBe(ExecutionStatus.Governed);
        state.PolicyDigest.ShouldBe(PolicyDigest);
        state.GovernanceSyncedAt.ShouldBe(At(0, 20));
    }

    [Fact]
    public void The_oldest_target_sync_ignores_an_older_sync_of_a_domain_that_is_not_a_target()
    {
        var sync = Governance() with
        {
            SyncedDomains =
            [
                new SyncedDomain(Origin, PolicyDigest, At(0, 40)), new SyncedDomain(Outsider, PolicyDigest, At(0, 10)),
                new SyncedDomain(Partner, PolicyDigest, At(0, 20)),
            ],
        };

        var state = State([.. UpTo(ExecutionStatus.Declared), new(sync, At(1))]);

        state.GovernanceSyncedAt.ShouldBe(At(0, 20));
    }

    [Fact]
    public void A_sync_of_no_target_domain_records_the_oldest_sync_of_all()
    {
        var sync = Governance() with
        {
            SyncedDomains = [new SyncedDomain(Outsider, PolicyDigest, At(0, 40)), new SyncedDomain(Outsider + "-2", PolicyDigest, At(0, 15))],
        };

        var state = Execution.Evolve(State(UpTo(ExecutionStatus.Declared)), sync, At(1), Origin);

        state.GovernanceSyncedAt.ShouldBe(At(0, 15));
    }
}
