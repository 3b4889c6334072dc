using Ledger.Domain.Executions;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class CascadeTests
{
    private static readonly ExecutionId Root = ExecutionId.Parse("root");

    private static ExecutionState Child(string id, ExecutionId parent, ExecutionStatus status) =>
        State(UpTo(status, ExecutionId.Parse(id), new ParentRef(LedgerOrigin, parent)), ExecutionId.Parse(id));

    private static ExecutionState Ended(ExecutionState state, IExecutionEvent terminal) => Execution.Evolve(state, terminal, At(30), Origin);

    [Fact]
    public void A_running_child_is_halted_parent_halted()
    {
        var appends = Lineage.Cascade([Child("c1", Root, ExecutionStatus.Running)], Root);

        var append = appends.ShouldHaveSingleItem();
        append.ExecutionId.ShouldBe(ExecutionId.Parse("c1"));
        append.Stream.ShouldBe("execution-c1");
        var halt = append.Event.ShouldBeOfType<ExecutionHalted>();
        halt.Reason.ShouldBe(Reason.ParentHalted);
        halt.Rejected.ShouldBeNull();
        halt.Detail.ShouldContain("root");
    }

    [Theory]
    [InlineData(ExecutionStatus.Declared)]
    [InlineData(ExecutionStatus.Governed)]
    [InlineData(ExecutionStatus.Authorized)]
    [InlineData(ExecutionStatus.Trusted)]
    public void A_child_not_yet_started_is_denied_parent_halted(ExecutionStatus status) =>
        Lineage.Cascade([Child("c1", Root, status)], Root).ShouldHaveSingleItem().Event
            .ShouldBeOfType<ExecutionDenied>().Reason.ShouldBe(Reason.ParentHalted);

    [Fact]
    public void Children_that_already_ended_are_left_alone()
    {
        var completed = State([.. CompletedHistory(ExecutionId.Parse("done"))], ExecutionId.Parse("done")) with
        {
            Parent = new ParentRef(LedgerOrigin, Root),
        };
        var denied = Ended(Child("denied", Root, ExecutionStatus.Declared), new ExecutionDenied(Reason.EmitterReported, "x"));

        Lineage.Cascade([completed, denied], Root).ShouldBeEmpty();
    }

    [Fact]
    public void Grandchildren_are_ended_after_their_parents()
    {
        var appends = Lineage.Cascade(
        [
            Child("g1", ExecutionId.Parse("c1"), ExecutionStatus.Declared),
            Child("c1", Root, ExecutionStatus.Running),
            Child("c2", Root, ExecutionStatus.Running),
        ], Root);

        appends.Select(a => a.ExecutionId.Value).ShouldBe(["c1", "c2", "g1"]);
        appends[2].Event.ShouldBeOfType<ExecutionDenied>().Detail.ShouldContain("c1");
    }

    [Fact]
    public void The_cascade_reaches_through_a_child_that_already_completed()
    {
        var completed = State([.. CompletedHistory(ExecutionId.Parse("c1"))], ExecutionId.Parse("c1")) with
        {
            Parent = new ParentRef(LedgerOrigin, Root),
        };

        var appends = Lineage.Cascade([completed, Child("g1", ExecutionId.Parse("c1"), ExecutionStatus.Running)], Root);

        appends.ShouldHaveSingleItem().ExecutionId.ShouldBe(ExecutionId.Parse("g1"));
    }

    [Fact]
    public void Executions_outside_the_ancestors_tree_are_ignored() =>
        Lineage.Cascade(
        [
            Child("other-child", ExecutionId.Parse("other-root"), ExecutionStatus.Running),
            State(UpTo(ExecutionStatus.Running)),
        ], Root).ShouldBeEmpty();

    [Fact]
    public void A_lineage_cycle_in_the_input_does_not_loop_forever()
    {
        var a = Child("a", ExecutionId.Parse("b"), ExecutionStatus.Running);
        var b = Child("b", ExecutionId.Parse("a"), ExecutionStatus.Running);

        Lineage.Cascade([a, b], ExecutionId.Parse("a")).Select(x => x.ExecutionId.Value).ShouldBe(["b"]);
    }

    [Fact]
    public void Cascaded_events_replayed_in_order_are_each_justified()
    {
        var root = Ended(State(UpTo(ExecutionStatus.Running, Root), Root), new ExecutionHalted(Reason.EmitterReported, "stop"));
        var states = new Dictionary<ExecutionId, ExecutionState>
        {
            [Root] = root,
            [ExecutionId.Parse("c1")] = Child("c1", Root, ExecutionStatus.Running),
            [ExecutionId.Parse("g1")] = Child("g1", ExecutionId.Parse("c1"), ExecutionStatus.Declared),
        };

        foreach (var append in Lineage.Cascade(states.Values.Where(s => s.Id != Root).ToList(), Root))
        {
            var state = states[append.ExecutionId];
            var context = new DecisionContext(At(31), DefaultParameters) { Parent = states[state.Parent!.ExecutionId] };
            var submission = SubmissionOf(append.Event, "ledger") with { ByLedger = true };

            Execution.Decide(state, submission, context).ShouldBeOfType<Decision.Accepted>();
            states[append.ExecutionId] = Execution.Evolve(state, append.Event, At(31), "ledger");
        }

        states.Values.ShouldAllBe(s => s.IsTerminal);
    }
}
