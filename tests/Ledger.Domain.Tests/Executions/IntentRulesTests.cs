using Ledger.Domain.Executions;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class IntentRulesTests
{
    [Fact]
    public void Root_intent_on_a_new_stream_is_accepted() =>
        Lifecycle.GivenNothing().When(Intent()).ThenAccepted();

    [Fact]
    public void Intent_for_an_execution_already_declared_is_a_conflict_and_appends_nothing() =>
        Lifecycle.Given(UpTo(ExecutionStatus.Declared)).When(Intent()).ThenConflict("execution-exists");

    [Fact]
    public void Intent_for_a_terminal_execution_is_a_conflict() =>
        Lifecycle.Given(new Recorded(new ExecutionDenied(Reason.EmitterReported, "no"), T0)).When(Intent()).ThenConflict("execution-terminal");

    [Fact]
    public void Intent_naming_another_execution_than_its_stream_is_invalid() =>
        Lifecycle.GivenNothing().When(Intent(id: ExecutionId.Parse("other"))).ThenInvalid("execution-id-mismatch");

    [Fact]
    public void Intent_whose_origin_domain_is_not_a_target_is_invalid() =>
        Lifecycle.GivenNothing().When(Intent(), domain: Outsider).ThenInvalid("origin-not-targeted");

    [Fact]
    public void Child_of_a_running_parent_on_this_ledger_is_accepted() =>
        Lifecycle.GivenNothing().WithParent(RunningParent()).When(Intent(parent: ParentRef())).ThenAccepted();

    [Fact]
    public void Child_of_a_parent_missing_from_this_ledger_is_denied_lineage_broken() =>
        Lifecycle.GivenNothing().WithParent(null).When(Intent(parent: ParentRef())).ThenDenied(Reason.LineageBroken);

    [Fact]
    public void Child_of_a_parent_not_yet_running_is_denied_lineage_broken() =>
        Lifecycle.GivenNothing()
            .WithParent(State(UpTo(ExecutionStatus.Trusted, ParentId), ParentId))
            .When(Intent(parent: ParentRef()))
            .ThenDenied(Reason.LineageBroken);

    [Fact]
    public void Child_of_a_halted_parent_is_denied_lineage_broken() =>
        Lifecycle.GivenNothing()
            .WithParent(State([.. UpTo(ExecutionStatus.Running, ParentId), new(new ExecutionHalted(Reason.EmitterReported, "stop"), At(5))], ParentId))
            .When(Intent(parent: ParentRef()))
            .ThenDenied(Reason.LineageBroken);

    [Fact]
    public void Execution_naming_itself_as_parent_is_denied_lineage_broken() =>
        Lifecycle.GivenNothing().When(Intent(parent: ParentRef(Id))).ThenDenied(Reason.LineageBroken);

    [Fact]
    public void Child_of_a_parent_on_a_ledger_that_is_not_a_peer_is_denied_lineage_broken() =>
        Lifecycle.GivenNothing().WithRemoteParent().When(Intent(parent: ParentRef())).ThenDenied(Reason.LineageBroken)
            .Detail.ShouldContain("is not a peer of this ledger");

    [Fact]
    public void Child_of_a_remote_parent_proven_running_is_accepted() =>
        Lifecycle.GivenNothing().WithRemoteParent(RunningParent()).When(Intent(parent: ParentRef())).ThenAccepted();

    [Fact]
    public void Intent_under_an_ancestor_that_was_halted_is_denied_parent_halted_even_before_the_cascade() =>
        Lifecycle.GivenNothing().WithParent(RunningParent()).WithEndedAncestor(ExecutionId.Parse("grandparent"))
            .When(Intent(parent: ParentRef()))
            .ThenDenied(Reason.ParentHalted).Detail.ShouldContain("grandparent");

    [Fact]
    public void Child_of_a_remote_parent_known_not_to_run_is_denied_lineage_broken() =>
        Lifecycle.GivenNothing()
            .WithRemoteParent(State(UpTo(ExecutionStatus.Declared, ParentId), ParentId))
            .When(Intent(parent: ParentRef()))
            .ThenDenied(Reason.LineageBroken);

    [Fact]
    public void A_parent_state_that_is_not_the_referenced_parent_is_a_caller_bug()
    {
        var wrong = State(UpTo(ExecutionStatus.Running, ExecutionId.Parse("someone-else")), ExecutionId.Parse("someone-else"));

        Should.Throw<ArgumentException>(() => Lifecycle.GivenNothing().WithParent(wrong).When(Intent(parent: ParentRef())));
    }

    [Fact]
    public void A_submission_whose_type_is_not_its_events_wire_name_is_a_caller_bug()
    {
        var submission = SubmissionOf(Intent()) with { Type = "execution.started.v1" };

        Should.Throw<ArgumentException>(() =>
            Execution.Decide(ExecutionState.Initial(Id), submission, new DecisionContext(T0, DefaultParameters)));
    }

    [Fact]
    public void Accepted_intent_records_actor_domains_scope_parent_and_time()
    {
        var state = State([new(Intent(parent: ParentRef()), T0)]);

        state.Status.ShouldBe(ExecutionStatus.Declared);
        state.Phase.ShouldBe(ExecutionPhase.Intent);
        state.OriginDomain.ShouldBe(Origin);
        state.Actor.ShouldBe(Actor);
        state.TargetDomains.ShouldBe([Origin, Partner]);
        state.RequestedScope.ShouldBe(["read", "write", "exec"]);
        state.Parent.ShouldBe(ParentRef());
        state.DeclaredAt.ShouldBe(T0);
    }
}
