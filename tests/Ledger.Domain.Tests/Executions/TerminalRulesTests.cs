using Ledger.Domain.Executions;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class TerminalRulesTests
{
    public static TheoryData<IExecutionEvent> EveryEmitterEvent => new()
    {
        Intent(), Governance(), Authorization(), Trust(), Start(), Verified(), Completed(),
        new ExecutionDenied(Reason.EmitterReported, "late"), new ExecutionHalted(Reason.EmitterReported, "late"),
    };

    [Fact]
    public void Emitter_denial_before_start_is_accepted() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Authorized)).When(new ExecutionDenied(Reason.EmitterReported, "operator cancelled")).ThenAccepted();

    [Fact]
    public void Emitter_denial_with_another_reason_is_accepted() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).When(new ExecutionDenied(Reason.GovernanceStale, "policy server says stale")).ThenAccepted();

    [Fact]
    public void Emitter_denial_of_an_undeclared_execution_is_accepted() =>
        Lifecycle.GivenNothing().When(new ExecutionDenied(Reason.EmitterReported, "refused at the gate")).ThenAccepted();

    [Fact]
    public void Emitter_halt_of_a_running_execution_is_accepted() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running)).At(At(5)).When(new ExecutionHalted(Reason.EmitterReported, "operator stop")).ThenAccepted();

    [Fact]
    public void Emitter_halt_after_the_verification_deadline_is_still_accepted() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running)).At(At(50)).When(new ExecutionHalted(Reason.EmitterReported, "operator stop")).ThenAccepted();

    [Fact]
    public void Emitter_denial_of_a_running_execution_is_halted_phase_order_violated() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running)).At(At(5)).When(new ExecutionDenied(Reason.EmitterReported, "too late")).ThenHalted(Reason.PhaseOrderViolated);

    [Fact]
    public void Emitter_halt_before_start_is_denied_phase_order_violated() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Trusted)).When(new ExecutionHalted(Reason.EmitterReported, "too early")).ThenDenied(Reason.PhaseOrderViolated);

    [Fact]
    public void Emitter_termination_claiming_a_rejected_submission_is_invalid() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Declared))
            .When(new ExecutionDenied(Reason.EmitterReported, "x", new RejectedEvent("e", "execution.started.v1", Digest('r'))))
            .ThenInvalid("rejected-reserved");

    [Fact]
    public void Emitter_termination_from_a_domain_that_is_not_a_target_is_invalid() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).When(new ExecutionDenied(Reason.EmitterReported, "x"), domain: Outsider).ThenInvalid("domain-not-targeted");

    [Theory]
    [MemberData(nameof(EveryEmitterEvent))]
    public void Anything_for_a_completed_execution_is_a_conflict(IExecutionEvent @event) =>
        Lifecycle.Given(CompletedHistory()).When(@event).ThenConflict("execution-terminal");

    [Theory]
    [MemberData(nameof(EveryEmitterEvent))]
    public void Anything_for_a_denied_execution_is_a_conflict(IExecutionEvent @event) =>
        Lifecycle.Given([.. UpTo(ExecutionStatus.Declared), new(new ExecutionDenied(Reason.EmitterReported, "no"), At(1))]).When(@event)
            .ThenConflict("execution-terminal");

    [Theory]
    [MemberData(nameof(EveryEmitterEvent))]
    public void Anything_for_a_halted_execution_is_a_conflict(IExecutionEvent @event) =>
        Lifecycle.Given([.. UpTo(ExecutionStatus.Running), new(new ExecutionHalted(Reason.MeasurementDrift, "drift"), At(5))]).When(@event)
            .ThenConflict("execution-terminal");

    [Fact]
    public void Terminal_events_record_reason_detail_and_time_but_keep_the_phase()
    {
        var state = State([.. UpTo(ExecutionStatus.Authorized), new(new ExecutionDenied(Reason.EmitterReported, "cancelled"), At(3))]);

        state.Status.ShouldBe(ExecutionStatus.Denied);
        state.Phase.ShouldBe(ExecutionPhase.Authorization);
        state.Reason.ShouldBe(Reason.EmitterReported);
        state.ReasonDetail.ShouldBe("cancelled");
        state.EndedAt.ShouldBe(At(3));
    }

    [Fact]
    public void A_refusal_appended_by_the_ledger_ends_the_execution_when_folded()
    {
        var outcome = Lifecycle.Given(UpTo(ExecutionStatus.Running)).At(At(6)).When(Verified(measurement: Digest('x')));
        var halt = outcome.ThenHalted(Reason.MeasurementDrift);

        var state = Execution.Evolve(outcome.State, halt, At(6), "ledger");

        state.Status.ShouldBe(ExecutionStatus.Halted);
        state.Reason.ShouldBe(Reason.MeasurementDrift);
        state.IsTerminal.ShouldBeTrue();
    }
}
