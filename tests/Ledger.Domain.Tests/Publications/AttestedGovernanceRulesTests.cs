using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Parameters;
using Ledger.Domain.Publications;
using Ledger.Domain.Tests.Executions;
using Ledger.Domain.Tests.Federation;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Publications;

/// <summary>
/// A claim for a domain whose home is a peer (DESIGN §8.2): decided against what the peer's governance attestation,
/// recorded before the claim (<c>federation.governance-attested.v1</c>), proves.
/// </summary>
public sealed class AttestedGovernanceRulesTests
{
    private const string Peer = "peer.example/ledger";
    private static readonly LedgerParameters TenMinutes = new(TimeSpan.FromMinutes(10), TimeSpan.FromHours(24), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));

    private static GovernanceAttested Evidence(string? digest = null, DateTimeOffset? publishedAt = null, IReadOnlyList<string>? homes = null, bool published = true, IReadOnlyList<string>? domains = null) =>
        new(Peer, Digest('e'), "note", 9, 2, homes ?? [Origin], domains ?? [Origin],
            published ? [new Publication(Origin, "policy-7", digest ?? PolicyDigest, 4, publishedAt ?? At(0))] : [], At(0, 50));

    private static Lifecycle Declared(params GovernanceAttested[] evidence) =>
        Lifecycle.Given([.. UpTo(ExecutionStatus.Declared), .. evidence.Select(e => new Recorded(e, At(0, 50)))]).At(At(1));

    [Fact]
    public void A_claim_matching_the_peers_latest_publication_is_accepted() =>
        Declared(Evidence()).When(Governance()).ThenAccepted();

    [Fact]
    public void A_claim_with_another_digest_than_the_peer_published_is_denied_governance_inconsistent()
    {
        var denied = Declared(Evidence(Digest('q'))).When(Governance()).ThenDenied(Reason.GovernanceInconsistent);

        denied.Detail.ShouldContain(Digest('q'));
        denied.Detail.ShouldContain($"'{Peer}'");
    }

    [Fact]
    public void A_claim_for_a_domain_the_peer_never_published_is_denied_governance_stale() =>
        Declared(Evidence(published: false)).When(Governance()).ThenDenied(Reason.GovernanceStale).Detail.ShouldContain("no policy published");

    [Fact]
    public void A_peer_publication_older_than_max_policy_age_is_denied_governance_stale() =>
        Declared(Evidence(publishedAt: At(1).AddMinutes(-10).AddTicks(-10))).With(TenMinutes).When(Governance()).ThenDenied(Reason.GovernanceStale)
            .Detail.ShouldContain("last published");

    [Fact]
    public void A_peer_whose_own_log_does_not_make_it_home_for_the_domain_proves_nothing() =>
        Declared(Evidence(homes: [Partner])).When(Governance()).ThenDenied(Reason.GovernanceStale).Detail.ShouldContain("does not vouch");

    [Fact]
    public void Evidence_for_a_domain_the_claim_does_not_sync_does_not_match_the_claim() =>
        Declared(Evidence(domains: [Origin, Outsider])).When(Governance()).ThenDenied(Reason.GovernanceInconsistent).Detail.ShouldContain($"'{Outsider}'");

    [Fact]
    public void A_peer_that_could_not_be_proven_fails_the_claim_closed()
    {
        var state = Lifecycle.Given(UpTo(ExecutionStatus.Declared)).State;
        var context = new DecisionContext(At(1), DefaultParameters) { RemoteGovernanceProblem = (Reason.GovernanceStale, "peer down") };

        var refused = Execution.Decide(state, SubmissionOf(Governance()), context).ShouldBeOfType<Decision.Refused>();

        (refused.Reason, refused.Detail).ShouldBe((Reason.GovernanceStale, "peer down"));
    }

    [Fact]
    public void The_evidence_is_ledger_only_and_recorded_only_while_a_claim_is_awaited()
    {
        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).When(Evidence()).ThenInvalid("ledger-only-event");
        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).ByLedger().When(Evidence()).ThenAccepted();
        Lifecycle.Given(UpTo(ExecutionStatus.Governed)).ByLedger().When(Evidence()).ThenInvalid("ledger-event-unjustified");
    }

    [Fact]
    public void The_record_of_a_verified_attestation_carries_what_it_proved_for_the_claimed_domains()
    {
        using var log = new AttestationLog();
        log.Append(new HomesConfigured([Origin, Partner]), At(0));
        log.Append(new PolicyPublished(Origin, "policy-7", PolicyDigest), At(0, 10));
        var attested = GovernanceAttestationVerifier.Verify(log.AttestGovernance(At(1)).Format(), log.Trust, new AttestationContext(At(1), TimeSpan.FromMinutes(5)))
            .ShouldBeOfType<AttestationCheck.GovernanceVerified>().Governance;

        var evidence = GovernanceAttested.Of(AttestationLog.Origin, attested, [Origin, Partner]);

        evidence.HomeDomains.ShouldBe([Origin, Partner]);
        evidence.Domains.ShouldBe([Origin, Partner]);
        evidence.Publications.ShouldHaveSingleItem().ShouldBe(new Publication(Origin, "policy-7", PolicyDigest, 3, At(0, 10)));
        (evidence.CheckpointSize, evidence.StreamVersion, evidence.AttestedAt, evidence.AttestationDigest).ShouldBe((log.Size, 2L, At(1), attested.Digest));
        var data = ExecutionEventCodec.ToData(evidence);
        ExecutionEventCodec.TryParse("federation.governance-attested.v1", data, out var parsed, out _).ShouldBeTrue();
        parsed.ShouldBeOfType<GovernanceAttested>().Publications.ShouldBe(evidence.Publications);

        // Partner has no publication: a claim for it is stale; Origin's agrees.
        var stale = GovernanceBook.CheckAttestedClaim(Governance(), [evidence], At(1), DefaultParameters.MaxPolicyAge).ShouldNotBeNull();
        stale.Reason.ShouldBe(Reason.GovernanceStale);
        stale.Detail.ShouldContain($"'{Partner}'");
        GovernanceBook.CheckAttestedClaim(Governance(), [evidence with { Domains = [Origin] }], At(1), DefaultParameters.MaxPolicyAge).ShouldBeNull();
    }
}
