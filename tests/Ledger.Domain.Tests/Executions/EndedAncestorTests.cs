using Ledger.Domain.Executions;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

/// <summary>Fail closed before the cascade lands: below a denied or halted ancestor nothing proceeds and nothing is allowed.</summary>
public sealed class EndedAncestorTests
{
    private static readonly ExecutionId Grandparent = ExecutionId.Parse("grandparent");

    [Fact]
    public void A_verification_of_a_running_child_under_a_halted_ancestor_halts_it_parent_halted() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Running, parent: ParentRef())).WithParent(RunningParent()).WithEndedAncestor(Grandparent)
            .When(Verified())
            .ThenHalted(Reason.ParentHalted).Detail.ShouldContain("grandparent");

    [Fact]
    public void A_start_under_a_denied_ancestor_is_denied_parent_halted() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Trusted, parent: ParentRef())).WithParent(RunningParent()).WithEndedAncestor(ParentId)
            .When(Start())
            .ThenDenied(Reason.ParentHalted);

    [Fact]
    public void A_completion_under_a_halted_ancestor_is_refused_too() =>
        Lifecycle.Given(RunningVerified(parent: ParentRef())).WithParent(RunningParent()).WithEndedAncestor(Grandparent)
            .When(Completed())
            .ThenHalted(Reason.ParentHalted);

    [Fact]
    public void An_execution_that_already_ended_stays_a_conflict() =>
        Lifecycle.Given([.. CompletedHistory()]).WithEndedAncestor(Grandparent).When(Verified()).ThenConflict("execution-terminal");

    [Fact]
    public void The_ledgers_cascade_end_is_still_justified_under_an_ended_ancestor()
    {
        var parent = Execution.Evolve(RunningParent(), new ExecutionHalted(Reason.EmitterReported, "stop"), At(20), Origin);
        Lifecycle.Given(UpTo(ExecutionStatus.Running, parent: ParentRef())).WithParent(parent).WithEndedAncestor(ParentId).ByLedger()
            .When(new ExecutionHalted(Reason.ParentHalted, "parent execution 'parent' was denied or halted"))
            .ThenAccepted();
    }

    [Fact]
    public void A_running_child_under_an_ended_ancestor_may_not_act_before_its_own_halt()
    {
        var clearance = Execution.Status(State(UpTo(ExecutionStatus.Running)), At(5), DefaultParameters, Grandparent);

        clearance.Allowed.ShouldBeFalse();
        clearance.Status.ShouldBe(ExecutionStatus.Running);
        clearance.Reason.ShouldBe(Reason.ParentHalted);
        clearance.ValidUntil.ShouldBeNull();
    }

    [Fact]
    public void A_declared_child_under_an_ended_ancestor_says_why_it_will_not_start() =>
        Execution.Status(State(UpTo(ExecutionStatus.Declared)), At(5), DefaultParameters, Grandparent).Reason.ShouldBe(Reason.ParentHalted);

    [Fact]
    public void An_ended_child_keeps_its_own_reason()
    {
        var halted = Execution.Evolve(State(UpTo(ExecutionStatus.Running)), new ExecutionHalted(Reason.MeasurementDrift, "x"), At(6), Origin);

        Execution.Status(halted, At(7), DefaultParameters, Grandparent).Reason.ShouldBe(Reason.MeasurementDrift);
    }

    [Fact]
    public void The_cascade_end_of_a_running_child_is_a_halt_and_of_a_declared_child_a_denial()
    {
        var parent = Execution.Evolve(RunningParent(), new ExecutionHalted(Reason.EmitterReported, "stop"), At(20), Origin);
        var running = State(UpTo(ExecutionStatus.Running, parent: ParentRef()));
        var declared = State(UpTo(ExecutionStatus.Declared, parent: ParentRef()));

        Lineage.CascadeEnd(running, parent, ParentId).ShouldBeOfType<ExecutionHalted>().Reason.ShouldBe(Reason.ParentHalted);
        Lineage.CascadeEnd(declared, parent, Grandparent).ShouldBeOfType<ExecutionDenied>().Detail.ShouldContain("through parent 'parent-1'");
    }

    [Fact]
    public void No_cascade_end_while_the_parent_is_open_or_once_the_child_ended()
    {
        var running = State(UpTo(ExecutionStatus.Running, parent: ParentRef()));
        var ended = Execution.Evolve(running, new ExecutionHalted(Reason.EmitterReported, "x"), At(6), Origin);
        var haltedParent = Execution.Evolve(RunningParent(), new ExecutionHalted(Reason.EmitterReported, "stop"), At(20), Origin);

        Lineage.CascadeEnd(running, RunningParent(), Grandparent).ShouldBeNull();
        Lineage.CascadeEnd(ended, haltedParent, ParentId).ShouldBeNull();
    }
}
