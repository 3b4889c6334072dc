using Ledger.Domain.Executions;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class CompletionRulesTests
{
    [Fact]
    public void Completion_after_a_verification_is_accepted() =>
        Lifecycle.Given(RunningVerified()).At(At(7)).When(Completed()).ThenAccepted();

    [Fact]
    public void Completion_with_a_failed_outcome_is_accepted_as_a_completion() =>
        Lifecycle.Given(RunningVerified()).At(At(7)).When(Completed(ExecutionOutcome.Failed)).ThenAccepted();

    [Fact]
    public void Completion_without_any_verification_is_halted_runtime_verification_missed() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running)).At(At(5)).When(Completed()).ThenHalted(Reason.RuntimeVerificationMissed);

    [Fact]
    public void Completion_after_the_verification_deadline_is_halted_runtime_verification_missed() =>
        Lifecycle.Given(RunningVerified()).At(At(11, 1)).When(Completed()).ThenHalted(Reason.RuntimeVerificationMissed);

    [Fact]
    public void Completion_before_start_is_denied_phase_order_violated() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Trusted)).When(Completed()).ThenDenied(Reason.PhaseOrderViolated);

    [Fact]
    public void Accepted_completion_records_the_outcome_and_ends_the_execution()
    {
        var state = State(CompletedHistory());

        state.Status.ShouldBe(ExecutionStatus.Completed);
        state.Phase.ShouldBe(ExecutionPhase.End);
        state.Outcome.ShouldBe(ExecutionOutcome.Succeeded);
        state.EndedAt.ShouldBe(At(7));
        state.IsTerminal.ShouldBeTrue();
    }
}
