using Ledger.Domain.Executions;

namespace Ledger.Domain.Tests.Executions;

public sealed class ReasonTests
{
    [Fact]
    public void The_closed_set_holds_exactly_the_designs_codes_in_order() =>
        Reason.All.Select(r => r.Code).ShouldBe(
        [
            "phase-order-violated", "governance-inconsistent", "governance-stale", "authorization-scope-exceeded",
            "authorization-issuer-untrusted", "authorization-expired", "runtime-trust-failed", "runtime-verification-failed",
            "runtime-verification-missed", "measurement-drift", "lineage-broken", "parent-halted", "intent-expired", "emitter-reported",
            "federation-sync-lost", "peer-split-view",
        ]);

    [Fact]
    public void Every_code_parses_back_to_its_reason()
    {
        foreach (var reason in Reason.All)
        {
            Reason.Parse(reason.Code).ShouldBeSameAs(reason);
            reason.ToString().ShouldBe(reason.Code);
            reason.Description.ShouldNotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public void An_unknown_code_is_refused()
    {
        Reason.TryParse("made-up", out _).ShouldBeFalse();
        Reason.TryParse(null, out _).ShouldBeFalse();
        Should.Throw<FormatException>(() => Reason.Parse("Phase-Order-Violated")).Message.ShouldContain("Phase-Order-Violated");
    }
}
