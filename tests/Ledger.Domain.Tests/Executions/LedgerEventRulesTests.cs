using Ledger.Domain.Executions;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

/// <summary>Events the ledger appends itself, as a replay audits them (Submission.ByLedger).</summary>
public sealed class LedgerEventRulesTests
{
    private static readonly RejectedEvent Evidence = new("evt-9", "execution.runtime-verified.v1", Digest('r'));

    [Fact]
    public void Proof_after_completion_is_accepted() =>
        Lifecycle.Given(CompletedHistory()).ByLedger().When(Proof()).ThenAccepted();

    [Fact]
    public void Proof_after_a_denial_is_accepted() =>
        Lifecycle.Given([.. UpTo(ExecutionStatus.Declared), new(new ExecutionDenied(Reason.EmitterReported, "no"), At(1))]).ByLedger()
            .When(Proof()).ThenAccepted();

    [Fact]
    public void Proof_submitted_by_an_emitter_is_invalid() =>
        Lifecycle.Given(CompletedHistory()).When(Proof()).ThenInvalid("ledger-only-event");

    [Fact]
    public void Proof_before_the_execution_ended_is_a_conflict() =>
        Lifecycle.Given(RunningVerified()).ByLedger().When(Proof()).ThenConflict("execution-not-terminal");

    [Fact]
    public void A_second_proof_is_a_conflict() =>
        Lifecycle.Given([.. CompletedHistory(), new(Proof(), At(8))]).ByLedger().When(Proof()).ThenConflict("proof-already-persisted");

    [Fact]
    public void Proof_moves_the_phase_to_proof_and_keeps_the_status()
    {
        var state = State([.. CompletedHistory(), new(Proof(), At(8))]);

        state.Phase.ShouldBe(ExecutionPhase.Proof);
        state.Status.ShouldBe(ExecutionStatus.Completed);
        state.IsProven.ShouldBeTrue();
    }

    [Fact]
    public void A_recorded_refusal_before_start_is_justified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).ByLedger().When(new ExecutionDenied(Reason.GovernanceStale, "stale", Evidence)).ThenAccepted();

    [Fact]
    public void A_recorded_refusal_of_a_running_execution_is_justified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running)).ByLedger().When(new ExecutionHalted(Reason.MeasurementDrift, "drift", Evidence)).ThenAccepted();

    [Fact]
    public void A_ledger_denial_of_a_running_execution_is_unjustified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running)).ByLedger().When(new ExecutionDenied(Reason.MeasurementDrift, "drift", Evidence))
            .ThenInvalid("ledger-event-unjustified");

    [Fact]
    public void A_ledger_halt_before_start_is_unjustified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Trusted)).ByLedger().When(new ExecutionHalted(Reason.MeasurementDrift, "drift", Evidence))
            .ThenInvalid("ledger-event-unjustified");

    [Fact]
    public void A_cascade_halt_under_an_ended_parent_is_justified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running, parent: ParentRef()))
            .WithParent(State([.. UpTo(ExecutionStatus.Running, ParentId), new(new ExecutionHalted(Reason.EmitterReported, "x"), At(5))], ParentId))
            .ByLedger().When(new ExecutionHalted(Reason.ParentHalted, "parent halted")).ThenAccepted();

    [Fact]
    public void A_cascade_halt_under_a_running_parent_is_unjustified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running, parent: ParentRef())).WithParent(RunningParent())
            .ByLedger().When(new ExecutionHalted(Reason.ParentHalted, "parent halted")).ThenInvalid("ledger-event-unjustified");

    [Fact]
    public void A_cascade_halt_of_a_root_execution_is_unjustified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running)).ByLedger().When(new ExecutionHalted(Reason.ParentHalted, "parent halted"))
            .ThenInvalid("ledger-event-unjustified");

    [Fact]
    public void A_cascade_under_a_remote_parent_is_justified_by_an_attestation_of_its_end() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Declared, parent: ParentRef())).WithRemoteParent(RunningParent() with { Status = ExecutionStatus.Halted })
            .ByLedger().When(new ExecutionDenied(Reason.ParentHalted, "parent halted")).ThenAccepted();

    [Fact]
    public void A_cascade_under_a_remote_parent_not_proven_ended_is_unjustified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Declared, parent: ParentRef())).WithRemoteParent(RunningParent())
            .ByLedger().When(new ExecutionDenied(Reason.ParentHalted, "parent halted")).ThenInvalid("ledger-event-unjustified");

    [Fact]
    public void A_sweep_denial_after_intent_ttl_is_justified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Governed)).At(At(60, 1)).ByLedger().When(new ExecutionDenied(Reason.IntentExpired, "silent")).ThenAccepted();

    [Fact]
    public void A_sweep_denial_within_intent_ttl_is_unjustified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Governed)).At(At(60)).ByLedger().When(new ExecutionDenied(Reason.IntentExpired, "silent"))
            .ThenInvalid("ledger-event-unjustified");

    [Fact]
    public void A_sweep_halt_after_the_verification_deadline_is_justified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running)).At(At(9, 1)).ByLedger().When(new ExecutionHalted(Reason.RuntimeVerificationMissed, "silent"))
            .ThenAccepted();

    [Fact]
    public void A_sweep_halt_before_the_verification_deadline_is_unjustified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running)).At(At(9)).ByLedger().When(new ExecutionHalted(Reason.RuntimeVerificationMissed, "silent"))
            .ThenInvalid("ledger-event-unjustified");

    [Fact]
    public void A_sweep_halt_naming_the_wrong_deadline_is_unjustified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running)).At(At(9, 1)).ByLedger().When(new ExecutionHalted(Reason.AuthorizationExpired, "silent"))
            .ThenInvalid("ledger-event-unjustified");

    [Fact]
    public void A_ledger_termination_with_a_reason_it_never_gives_on_its_own_is_unjustified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running)).At(At(5)).ByLedger().When(new ExecutionHalted(Reason.MeasurementDrift, "no evidence"))
            .ThenInvalid("ledger-event-unjustified");

    [Fact]
    public void A_lifecycle_event_appended_by_the_ledger_is_unjustified() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Trusted)).ByLedger().When(Start()).ThenInvalid("ledger-event-unjustified");
}
