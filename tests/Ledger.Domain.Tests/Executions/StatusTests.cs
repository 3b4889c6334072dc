using Ledger.Domain.Executions;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class StatusTests
{
    [Fact]
    public void A_running_execution_in_time_may_act_until_its_verification_is_due()
    {
        var clearance = Execution.Status(State(UpTo(ExecutionStatus.Running)), At(5), DefaultParameters);

        clearance.ShouldBe(new ExecutionClearance(true, ExecutionStatus.Running, ExecutionPhase.Start, null, At(9)));
    }

    [Fact]
    public void Valid_until_follows_the_last_verification() =>
        Execution.Status(State(RunningVerified()), At(7), DefaultParameters).ValidUntil.ShouldBe(At(11));

    [Fact]
    public void Valid_until_is_capped_by_the_authorizations_expiry()
    {
        var state = State(UpTo(ExecutionStatus.Running)) with { ExpiresAt = At(7) };

        Execution.Status(state, At(5), DefaultParameters).ValidUntil.ShouldBe(At(7));
    }

    [Fact]
    public void A_running_execution_at_its_deadline_may_still_act() =>
        Execution.Status(State(UpTo(ExecutionStatus.Running)), At(9), DefaultParameters).Allowed.ShouldBeTrue();

    [Fact]
    public void A_running_execution_past_its_verification_deadline_may_not_act()
    {
        var clearance = Execution.Status(State(UpTo(ExecutionStatus.Running)), At(9).AddTicks(10), DefaultParameters);

        clearance.Allowed.ShouldBeFalse();
        clearance.Reason.ShouldBe(Reason.RuntimeVerificationMissed);
        clearance.ValidUntil.ShouldBe(At(9));
    }

    [Fact]
    public void A_running_execution_whose_authorization_expired_may_not_act()
    {
        var state = State(UpTo(ExecutionStatus.Running)) with { ExpiresAt = At(7) };

        var clearance = Execution.Status(state, At(8), DefaultParameters);

        clearance.Allowed.ShouldBeFalse();
        clearance.Reason.ShouldBe(Reason.AuthorizationExpired);
    }

    [Theory]
    [InlineData(ExecutionStatus.None)]
    [InlineData(ExecutionStatus.Declared)]
    [InlineData(ExecutionStatus.Trusted)]
    public void An_execution_not_yet_started_may_not_act_and_has_no_reason(ExecutionStatus status)
    {
        var clearance = Execution.Status(State(UpTo(status)), At(4), DefaultParameters);

        clearance.Allowed.ShouldBeFalse();
        clearance.Status.ShouldBe(status);
        clearance.Reason.ShouldBeNull();
        clearance.ValidUntil.ShouldBeNull();
    }

    [Fact]
    public void A_halted_execution_may_not_act_and_says_why()
    {
        var state = Execution.Evolve(State(UpTo(ExecutionStatus.Running)), new ExecutionHalted(Reason.MeasurementDrift, "drift"), At(5), Origin);

        Execution.Status(state, At(5), DefaultParameters).ShouldBe(
            new ExecutionClearance(false, ExecutionStatus.Halted, ExecutionPhase.Start, Reason.MeasurementDrift, null));
    }

    [Fact]
    public void A_completed_execution_may_not_act() =>
        Execution.Status(State(CompletedHistory()), At(8), DefaultParameters).Allowed.ShouldBeFalse();

    [Fact]
    public void Status_and_phase_have_stable_wire_names()
    {
        Enum.GetValues<ExecutionStatus>().Select(s => s.ToWireName())
            .ShouldBe(["none", "declared", "governed", "authorized", "trusted", "running", "completed", "denied", "halted"]);
        Enum.GetValues<ExecutionPhase>().Select(p => p.ToWireName())
            .ShouldBe(["none", "intent", "governance-sync", "authorization", "runtime-trust", "start", "verification", "end", "proof"]);
    }
}
