using Ledger.Domain.Executions;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class RuntimeTrustRulesTests
{
    private static readonly Lifecycle Authorized = Lifecycle.Given(UpTo(ExecutionStatus.Authorized)).At(At(3));

    [Fact]
    public void Trusted_attestation_of_the_actor_is_accepted() =>
        Authorized.When(Trust()).ThenAccepted();

    [Fact]
    public void Attestation_of_another_workload_than_the_actor_is_denied_runtime_trust_failed() =>
        Authorized.When(Trust(workload: "spiffe://aws.example/ns/jobs/sa/intruder")).ThenDenied(Reason.RuntimeTrustFailed)
            .Detail.ShouldContain("intruder");

    [Fact]
    public void Untrusted_verdict_is_denied_runtime_trust_failed() =>
        Authorized.When(Trust(verdict: TrustVerdict.Untrusted)).ThenDenied(Reason.RuntimeTrustFailed);

    [Fact]
    public void Runtime_trust_after_intent_ttl_is_denied_intent_expired() =>
        Authorized.At(At(60, 1)).When(Trust()).ThenDenied(Reason.IntentExpired);

    [Fact]
    public void Runtime_trust_before_authorization_is_denied_phase_order_violated() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Governed)).When(Trust()).ThenDenied(Reason.PhaseOrderViolated);

    [Fact]
    public void Accepted_trust_records_workload_and_measurement()
    {
        var state = State(UpTo(ExecutionStatus.Trusted));

        state.Status.ShouldBe(ExecutionStatus.Trusted);
        state.Workload.ShouldBe(Actor);
        state.Measurement.ShouldBe(Measurement);
    }
}
