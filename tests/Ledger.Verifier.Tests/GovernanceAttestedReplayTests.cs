using Ledger.Domain.Executions;
using Ledger.Domain.Publications;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>
/// Governance claims for a domain whose home is a peer (DESIGN §8.2) offline: the replay decides the claim against the
/// <c>federation.governance-attested.v1</c> recorded before it, as the ledger did, and flags a log whose recorded outcome
/// contradicts that evidence, or evidence that does not fit the claim.
/// </summary>
public sealed class GovernanceAttestedReplayTests : IDisposable
{
    private const string Peer = "azure.example/ledger";
    private static readonly string Other = "sha256:" + new string('e', 64);
    private readonly TestLog _log = new();
    private readonly Scenario _s;

    public GovernanceAttestedReplayTests()
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

    private static GovernanceSynchronized Claim() => new("policy-1", Policy, [new SyncedDomain(Aws, Policy, T0), new SyncedDomain(Azure, Policy, T0)]);

    private static GovernanceAttested Evidence(string digest, IReadOnlyList<string>? homes = null, IReadOnlyList<string>? domains = null) =>
        new(Peer, "sha256:" + new string('f', 64), TestNote, 12, 2, homes ?? [Azure], domains ?? [Azure],
            [new Publication(Azure, "policy-1", digest, 7, T0)], T0.AddMinutes(1));

    // A checkpoint note as the codec requires one (the replay does not check its signature: that needs the peer's key).
    private static readonly string TestNote = $"{Peer}\n12\n{Convert.ToBase64String(new byte[32])}\n\n\u2014 {Peer} {Convert.ToBase64String(new byte[68])}\n";

    private Domain.Log.LedgerEntry Declared(string name, GovernanceAttested evidence)
    {
        _s.Submit(Id(name), _s.Intent(Id(name), null), T0.AddMinutes(1));
        return _log.AppendLedgerEvent(Id(name), evidence, T0.AddMinutes(2), Aws);
    }

    [Fact]
    public async Task An_honest_log_with_claims_decided_on_recorded_evidence_is_valid_in_full_and_in_part()
    {
        Declared("agrees", Evidence(Policy));
        _s.Submit(Id("agrees"), Claim(), T0.AddMinutes(2), azure: true).ShouldBeOfType<Decision.Accepted>();
        Declared("disagrees", Evidence(Other));
        _s.Submit(Id("disagrees"), Claim(), T0.AddMinutes(2), azure: true).ShouldBeOfType<Decision.Refused>().Reason.ShouldBe(Reason.GovernanceInconsistent);

        ShouldBeValid(await VerifyAsync());
        ShouldBeValid(Harness.Verify(await _log.LineageBundleAsync(Id("agrees")), _log));
        ShouldBeValid(Harness.Verify(await _log.LineageBundleAsync(Id("disagrees")), _log));
    }

    [Fact]
    public async Task A_claim_recorded_against_evidence_of_another_digest_should_have_been_refused_inconsistent()
    {
        Declared("x", Evidence(Other));
        var claim = _log.AppendUnchecked(_s.AzureEmitter, Azure, Id("x"), Claim(), T0.AddMinutes(3));

        var failure = (await VerifyAsync()).ShouldFailAt("lifecycle.should-have-refused", claim.Position);
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("expected", "execution.denied.v1 reason governance-inconsistent"));
    }

    [Fact]
    public async Task A_claim_recorded_although_the_peer_did_not_vouch_for_the_domain_should_have_been_refused_stale()
    {
        Declared("x", Evidence(Policy, homes: [Aws]));
        var claim = _log.AppendUnchecked(_s.AzureEmitter, Azure, Id("x"), Claim(), T0.AddMinutes(3));

        var failure = (await VerifyAsync()).ShouldFailAt("lifecycle.should-have-refused", claim.Position);
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("expected", "execution.denied.v1 reason governance-stale"));
    }

    [Fact]
    public async Task Evidence_for_a_domain_the_claim_does_not_sync_does_not_fit_the_claim()
    {
        Declared("x", Evidence(Policy, domains: [Azure, "gcp"]) with { Publications = [new Publication(Azure, "policy-1", Policy, 7, T0)] });
        var claim = _log.AppendUnchecked(_s.AzureEmitter, Azure, Id("x"), Claim(), T0.AddMinutes(3));

        var failure = (await VerifyAsync()).ShouldFailAt("lifecycle.should-have-refused", claim.Position);
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("expected", "execution.denied.v1 reason governance-inconsistent"));
    }

    [Fact]
    public async Task Evidence_recorded_after_the_claim_is_unjustified()
    {
        _s.RunUntilStarted(Id("x"), T0.AddMinutes(1), parent: null);
        var late = _log.AppendLedgerEvent(Id("x"), Evidence(Policy), T0.AddMinutes(6), Aws);

        (await VerifyAsync()).ShouldFailAt("lifecycle.unjustified-ledger-event", late.Position);
    }
}
