using Ledger.Domain.Executions;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>
/// Governance synchronization (DESIGN §8.2) offline: the replay decides a governance claim for a home domain against the
/// bundle's <c>$governance</c> entries as the ledger did, and flags a log whose recorded outcome contradicts the rule.
/// </summary>
public sealed class GovernanceReplayTests : IDisposable
{
    private static readonly string Other = "sha256:" + new string('e', 64);
    private readonly TestLog _log = new();
    private readonly Scenario _s;

    public GovernanceReplayTests()
    {
        _s = new Scenario(_log, signed: true);
        _s.Setup(T0);
    }

    public void Dispose()
    {
        _s.Dispose();
        _log.Dispose();
    }

    private async Task<VerificationReport> VerifyAsync()
    {
        _log.Checkpoint();
        return Harness.Verify(await _log.FullBundleAsync(), _log);
    }

    private static void ShouldBeValid(VerificationReport report)
    {
        report.Failures.ShouldBeEmpty(string.Join("\n", report.Failures.Select(f => f.Where + " " + f.Code + ": " + f.Message)));
        report.Outcome.ShouldBe(VerificationOutcome.Valid);
    }

    private static GovernanceSynchronized Claim(string digest) => new("policy-1", digest, [new SyncedDomain(Aws, digest, T0), new SyncedDomain(Azure, digest, T0)]);

    [Fact]
    public async Task An_honest_log_with_publications_accepted_and_refused_claims_is_valid_in_full_and_in_part()
    {
        _log.ConfigureHomes([Aws], T0);
        _log.Publish(Aws, Policy, T0, by: _s.AwsEmitter);
        _s.RunUntilStarted(Id("agrees"), T0.AddMinutes(1), parent: null);
        _log.Publish(Aws, Other, T0.AddMinutes(6));
        _s.Submit(Id("disagrees"), _s.Intent(Id("disagrees"), null), T0.AddMinutes(7));
        var refused = _s.Submit(Id("disagrees"), Claim(Policy), T0.AddMinutes(8), azure: true);
        refused.ShouldBeOfType<Decision.Refused>().Reason.ShouldBe(Reason.GovernanceInconsistent);

        ShouldBeValid(await VerifyAsync());
        ShouldBeValid(Harness.Verify(await _log.LineageBundleAsync(Id("agrees")), _log));
        ShouldBeValid(Harness.Verify(await _log.LineageBundleAsync(Id("disagrees")), _log));
    }

    [Fact]
    public async Task A_claim_recorded_for_a_home_domain_without_publication_should_have_been_refused_stale()
    {
        _log.ConfigureHomes([Aws], T0);
        _s.Submit(Id("x"), _s.Intent(Id("x"), null), T0.AddMinutes(1));
        var claim = _log.AppendUnchecked(_s.AzureEmitter, Azure, Id("x"), Claim(Policy), T0.AddMinutes(2));

        var failure = (await VerifyAsync()).ShouldFailAt("lifecycle.should-have-refused", claim.Position);
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("expected", "execution.denied.v1 reason governance-stale"));
    }

    [Fact]
    public async Task A_claim_recorded_against_another_published_digest_should_have_been_refused_inconsistent()
    {
        _log.ConfigureHomes([Aws], T0);
        _log.Publish(Aws, Other, T0);
        _s.Submit(Id("x"), _s.Intent(Id("x"), null), T0.AddMinutes(1));
        var claim = _log.AppendUnchecked(_s.AzureEmitter, Azure, Id("x"), Claim(Policy), T0.AddMinutes(2));

        var failure = (await VerifyAsync()).ShouldFailAt("lifecycle.should-have-refused", claim.Position);
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("expected", "execution.denied.v1 reason governance-inconsistent"));
    }

    [Fact]
    public async Task A_claim_recorded_after_the_publication_aged_past_max_policy_age_should_have_been_refused_stale()
    {
        _log.ConfigureHomes([Aws], T0);
        _log.Publish(Aws, Policy, T0);
        var late = T0.AddHours(24).AddMinutes(1);
        _s.Submit(Id("x"), _s.Intent(Id("x"), null), late);
        var claim = _log.AppendUnchecked(_s.AzureEmitter, Azure, Id("x"),
            new GovernanceSynchronized("policy-1", Policy, [new SyncedDomain(Aws, Policy, late), new SyncedDomain(Azure, Policy, late)]), late.AddMinutes(1));

        var failure = (await VerifyAsync()).ShouldFailAt("lifecycle.should-have-refused", claim.Position);
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("expected", "execution.denied.v1 reason governance-stale"));
    }

    [Fact]
    public async Task Without_home_domains_a_claim_needs_no_publication()
    {
        _s.RunUntilStarted(Id("x"), T0.AddMinutes(1), parent: null);

        ShouldBeValid(await VerifyAsync());
    }

    [Fact]
    public async Task A_publication_recorded_for_a_domain_the_ledger_is_not_home_for_should_have_been_refused()
    {
        _log.ConfigureHomes([Aws], T0);
        var publication = _log.Publish(Azure, Policy, T0, by: _s.AzureEmitter);

        (await VerifyAsync()).ShouldFailAt("governance.publication-refused", publication.Position).Message.ShouldContain($"'{Azure}'");
    }

    [Fact]
    public async Task A_publication_by_an_emitter_that_may_not_speak_for_the_domain_is_flagged()
    {
        _log.ConfigureHomes([Aws], T0);
        var publication = _log.Publish(Aws, Policy, T0, by: _s.AzureEmitter);

        (await VerifyAsync()).ShouldFailAt("emitter.domain-not-covered", publication.Position);
    }

    [Fact]
    public async Task Home_domains_recorded_by_an_emitter_are_flagged()
    {
        var homes = _log.ConfigureHomes([Aws], T0, by: _s.AwsEmitter);

        (await VerifyAsync()).ShouldFailAt("configuration.not-by-ledger", homes.Position);
    }

    [Fact]
    public async Task A_malformed_governance_entry_is_flagged()
    {
        var entry = _log.AppendRaw("$governance", "governance.policy-published.v1", Aws, Ledger.Domain.Bundles.BundleFormat.LedgerEmitter,
            System.Text.Json.JsonDocument.Parse("""{"domain":"aws","policyId":"p","policyDigest":"sha256:1"}""").RootElement.Clone(), T0);

        (await VerifyAsync()).ShouldFailAt("configuration.malformed-event", entry.Position);
    }
}
