using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class VerificationRulesTests
{
    private static readonly Lifecycle Running = Lifecycle.Given(UpTo(ExecutionStatus.Running));

    [Fact]
    public void Verification_with_the_trusted_measurement_and_ok_verdict_is_accepted() =>
        Running.At(At(6)).When(Verified()).ThenAccepted();

    [Fact]
    public void Verification_with_another_measurement_is_halted_measurement_drift() =>
        Running.At(At(6)).When(Verified(measurement: Digest('x'))).ThenHalted(Reason.MeasurementDrift).Detail.ShouldContain(Digest('x'));

    [Fact]
    public void Verification_with_failed_verdict_is_halted_runtime_verification_failed() =>
        Running.At(At(6)).When(Verified(verdict: VerificationVerdict.Failed)).ThenHalted(Reason.RuntimeVerificationFailed);

    [Fact]
    public void Verification_exactly_max_verification_interval_after_start_is_accepted() =>
        Running.At(At(9)).When(Verified()).ThenAccepted();

    [Fact]
    public void Verification_later_than_max_verification_interval_after_start_is_halted_runtime_verification_missed() =>
        Running.At(At(9).AddTicks(10)).When(Verified()).ThenHalted(Reason.RuntimeVerificationMissed);

    [Fact]
    public void The_interval_runs_from_the_previous_verification_not_from_the_start() =>
        Lifecycle.Given(RunningVerified()).At(At(11)).When(Verified()).ThenAccepted();

    [Fact]
    public void Verification_later_than_the_interval_after_the_previous_verification_is_halted_runtime_verification_missed() =>
        Lifecycle.Given(RunningVerified()).At(At(11, 1)).When(Verified()).ThenHalted(Reason.RuntimeVerificationMissed);

    [Fact]
    public void Verification_after_the_authorization_expired_is_halted_authorization_expired()
    {
        var parameters = new LedgerParameters(TimeSpan.FromHours(24), TimeSpan.FromHours(24), TimeSpan.FromHours(3), TimeSpan.FromHours(1));

        Running.With(parameters).At(At(120, 1)).When(Verified()).ThenHalted(Reason.AuthorizationExpired);
    }

    [Fact]
    public void When_both_deadlines_passed_the_earlier_one_is_the_reason()
    {
        // Verification due at T0+9m, authorization expiring at T0+7m: expiry came first.
        var history = new Recorded[]
        {
            new(Intent(), T0), new(Governance(), At(1)), new(Authorization(expiresAt: At(7)), At(2)), new(Trust(), At(3)), new(Start(), At(4)),
        };

        Lifecycle.Given(history).At(At(30)).When(Verified()).ThenHalted(Reason.AuthorizationExpired);
    }

    [Fact]
    public void Verification_before_start_is_denied_phase_order_violated() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Trusted)).When(Verified()).ThenDenied(Reason.PhaseOrderViolated);

    [Fact]
    public void Verification_drift_is_checked_after_the_deadline() =>
        Running.At(At(20)).When(Verified(measurement: Digest('x'))).ThenHalted(Reason.RuntimeVerificationMissed);

    [Fact]
    public void Accepted_verifications_are_counted_and_timed()
    {
        var state = State([.. RunningVerified(), new(Verified(), At(8))]);

        state.VerificationCount.ShouldBe(2);
        state.LastVerifiedAt.ShouldBe(At(8));
        state.Phase.ShouldBe(ExecutionPhase.Verification);
        state.Status.ShouldBe(ExecutionStatus.Running);
    }
}
