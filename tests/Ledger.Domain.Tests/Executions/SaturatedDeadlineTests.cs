using System.Text.Json;
using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

// A log written before the parameters were bounded may hold any duration a TimeSpan holds; deadlines
// computed from it saturate at the last instant the ledger writes instead of throwing.
public sealed class SaturatedDeadlineTests
{
    private static readonly DateTimeOffset Never = new(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);

    // What an older build wrote for "P10675199D" (the largest whole number of days a TimeSpan holds).
    private static readonly LedgerParameters Huge = ReadOldLog("PT256204776H");

    private static LedgerParameters ReadOldLog(string duration)
    {
        using var data = JsonDocument.Parse(
            $$"""{"maxPolicyAge":"{{duration}}","maxAuthorizationTtl":"{{duration}}","maxVerificationInterval":"{{duration}}","intentTtl":"{{duration}}"}""");
        LedgerParametersCodec.TryParse(LedgerParametersCodec.Type, data.RootElement, out var configured, out var errors).ShouldBeTrue(string.Join("; ", errors));
        return configured!.ToParameters();
    }

    [Fact]
    public void A_value_above_the_bound_written_by_an_older_build_is_still_read()
    {
        Huge.IntentTtl.ShouldBe(TimeSpan.FromDays(10675199));
        Huge.IntentTtl.ShouldBeGreaterThan(LedgerParameters.MaxSetting);
    }

    [Fact]
    public void The_verification_deadline_saturates_at_the_last_instant_the_ledger_writes()
    {
        var running = State(UpTo(ExecutionStatus.Running));

        running.VerificationDueAt(TimeSpan.MaxValue).ShouldBe(Never.AddTicks(9_999_990));
        running.VerificationDueAt(Huge.MaxVerificationInterval)!.Value.Year.ShouldBe(9999);
    }

    [Fact]
    public void The_decision_endpoint_answers_for_a_running_execution()
    {
        var clearance = Execution.Status(State(UpTo(ExecutionStatus.Running)), At(60), Huge);

        clearance.Allowed.ShouldBeTrue();
        clearance.ValidUntil.ShouldBe(At(120)); // the authorization's expiry, the earlier of the two deadlines
    }

    [Fact]
    public void The_sweep_neither_throws_nor_ends_anything()
    {
        var running = State(UpTo(ExecutionStatus.Running)) with { ExpiresAt = DateTimeOffset.MaxValue };
        var declared = State(UpTo(ExecutionStatus.Declared));

        SilenceSweep.Decide([running, declared], new DateTimeOffset(9000, 1, 1, 0, 0, 0, TimeSpan.Zero), Huge).ShouldBeEmpty();
    }

    [Fact]
    public void The_sweep_still_ends_what_is_past_a_saturated_deadline()
    {
        var declared = State(UpTo(ExecutionStatus.Declared));

        SilenceSweep.Decide([declared], DateTimeOffset.MaxValue, Huge).ShouldHaveSingleItem().Event
            .ShouldBeOfType<ExecutionDenied>().Reason.ShouldBe(Reason.IntentExpired);
    }

    [Fact]
    public void Submissions_are_decided_with_a_saturated_intent_deadline() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).With(Huge).At(At(600)).When(Governance(At(599))).ThenAccepted();

    [Fact]
    public void Verifications_are_decided_with_a_saturated_verification_deadline() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running)).With(Huge).At(At(100)).When(Verified()).ThenAccepted();
}
