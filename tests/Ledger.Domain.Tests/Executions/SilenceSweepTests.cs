using Ledger.Domain.Executions;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class SilenceSweepTests
{
    private static readonly ExecutionState Running = State(UpTo(ExecutionStatus.Running));

    [Fact]
    public void A_running_execution_verified_in_time_is_left_alone() =>
        SilenceSweep.Decide([Running], At(9), DefaultParameters).ShouldBeEmpty();

    [Fact]
    public void A_running_execution_past_its_verification_deadline_is_halted_runtime_verification_missed()
    {
        var append = SilenceSweep.Decide([Running], At(9).AddTicks(10), DefaultParameters).ShouldHaveSingleItem();

        append.ExecutionId.ShouldBe(Id);
        var halt = append.Event.ShouldBeOfType<ExecutionHalted>();
        halt.Reason.ShouldBe(Reason.RuntimeVerificationMissed);
        halt.Rejected.ShouldBeNull();
    }

    [Fact]
    public void The_deadline_runs_from_the_last_verification() =>
        SilenceSweep.Decide([State(RunningVerified())], At(11), DefaultParameters).ShouldBeEmpty();

    [Fact]
    public void A_running_execution_whose_authorization_ran_out_first_is_halted_authorization_expired()
    {
        var state = Running with { ExpiresAt = At(6) };

        SilenceSweep.Decide([state], At(8), DefaultParameters).ShouldHaveSingleItem().Event
            .ShouldBeOfType<ExecutionHalted>().Reason.ShouldBe(Reason.AuthorizationExpired);
    }

    [Theory]
    [InlineData(ExecutionStatus.Declared)]
    [InlineData(ExecutionStatus.Governed)]
    [InlineData(ExecutionStatus.Authorized)]
    [InlineData(ExecutionStatus.Trusted)]
    public void An_intent_not_started_within_intent_ttl_is_denied_intent_expired(ExecutionStatus status) =>
        SilenceSweep.Decide([State(UpTo(status))], At(60, 1), DefaultParameters).ShouldHaveSingleItem().Event
            .ShouldBeOfType<ExecutionDenied>().Reason.ShouldBe(Reason.IntentExpired);

    [Fact]
    public void An_intent_at_the_last_instant_of_intent_ttl_is_left_alone() =>
        SilenceSweep.Decide([State(UpTo(ExecutionStatus.Trusted))], At(60), DefaultParameters).ShouldBeEmpty();

    [Fact]
    public void Terminal_and_empty_executions_are_skipped()
    {
        var completed = State(CompletedHistory());
        var halted = Execution.Evolve(Running, new ExecutionHalted(Reason.EmitterReported, "x"), At(5), Origin);

        SilenceSweep.Decide([completed, halted, ExecutionState.Initial(Id)], At(600), DefaultParameters).ShouldBeEmpty();
    }

    [Fact]
    public void A_sweep_over_many_executions_ends_only_the_silent_ones()
    {
        var late = ExecutionId.Parse("late");
        var fresh = ExecutionId.Parse("fresh");
        var lateState = State(UpTo(ExecutionStatus.Running, late), late);
        var freshState = State([.. UpTo(ExecutionStatus.Running, fresh), new(Verified(), At(12))], fresh);

        SilenceSweep.Decide([lateState, freshState], At(15), DefaultParameters).Select(a => a.ExecutionId).ShouldBe([late]);
    }

    [Fact]
    public void Sweep_events_are_justified_when_replayed()
    {
        foreach (var (state, at) in new[] { (Running, At(10)), (State(UpTo(ExecutionStatus.Declared)), At(61)) })
        {
            var append = SilenceSweep.Decide([state], at, DefaultParameters).ShouldHaveSingleItem();
            var submission = SubmissionOf(append.Event, "ledger") with { ByLedger = true };

            Execution.Decide(state, submission, new DecisionContext(at, DefaultParameters)).ShouldBeOfType<Decision.Accepted>();
        }
    }
}
