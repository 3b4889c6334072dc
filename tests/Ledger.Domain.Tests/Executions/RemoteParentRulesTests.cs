using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

/// <summary>A parent on a peer ledger is decided against the state its attestation proved (DESIGN §8.2, FORMAT §10.4).</summary>
public sealed class RemoteParentRulesTests
{
    private static readonly ParentRef Remote = new("peer.example/ledger", ParentId);

    private static ParentAttested Attested(ExecutionStatus status = ExecutionStatus.Running, DateTimeOffset? at = null, IReadOnlyList<string>? scope = null, DateTimeOffset? expiresAt = null) =>
        new(Remote.Ledger, ParentId, Digest('x'), "peer.example/ledger\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 peer.example/ledger AAAAAQE=\n", 3, 5,
            status, scope ?? ["read", "write"], expiresAt ?? At(120), at ?? T0);

    private static Decision Decide(ExecutionState state, IExecutionEvent @event, DateTimeOffset at, bool byLedger = false, (Reason, string)? problem = null, LedgerParameters? parameters = null)
    {
        var parent = (@event as IntentDeclared)?.Parent ?? state.Parent;
        var context = new DecisionContext(at, parameters ?? DefaultParameters) { ParentIsRemote = true, RemoteParentProblem = problem }.WithAttestedParent(state, parent);
        return Execution.Decide(state, SubmissionOf(@event, Origin) with { ByLedger = byLedger }, context);
    }

    private static ExecutionState After(params (IExecutionEvent Event, DateTimeOffset At)[] events) =>
        Execution.Replay(Id, events.Select(e => (e.Event, e.At, Origin)));

    [Fact]
    public void The_ledger_may_record_an_attestation_before_the_intent_and_an_emitter_may_not()
    {
        Decide(ExecutionState.Initial(Id), Attested(), T0, byLedger: true).ShouldBeOfType<Decision.Accepted>();
        Decide(ExecutionState.Initial(Id), Attested(), T0).ShouldBeOfType<Decision.Invalid>().Code.ShouldBe("ledger-only-event");
    }

    [Fact]
    public void An_intent_under_an_attested_running_parent_is_accepted()
    {
        Decide(After((Attested(), T0)), Intent(parent: Remote), T0).ShouldBeOfType<Decision.Accepted>();
    }

    [Fact]
    public void An_intent_without_an_attestation_is_refused_lineage_broken()
    {
        Decide(ExecutionState.Initial(Id), Intent(parent: Remote), T0).ShouldBeOfType<Decision.Refused>().Reason.ShouldBe(Reason.LineageBroken);
    }

    [Fact]
    public void An_intent_under_an_attested_halted_parent_is_refused_lineage_broken()
    {
        Decide(After((Attested(ExecutionStatus.Halted), T0)), Intent(parent: Remote), T0).ShouldBeOfType<Decision.Refused>().Reason.ShouldBe(Reason.LineageBroken);
    }

    [Fact]
    public void An_attestation_older_than_max_peer_silence_is_refused_federation_sync_lost()
    {
        Decide(After((Attested(at: T0), T0)), Intent(parent: Remote), At(6)).ShouldBeOfType<Decision.Refused>().Reason.ShouldBe(Reason.FederationSyncLost);
        var longer = LedgerParameters.Default with { MaxPeerSilence = TimeSpan.FromMinutes(10) };
        Decide(After((Attested(at: T0), T0)), Intent(parent: Remote), At(6), parameters: longer).ShouldBeOfType<Decision.Accepted>();
    }

    [Fact]
    public void A_peer_that_could_not_prove_its_parent_refuses_with_the_reason_found()
    {
        Decide(ExecutionState.Initial(Id), Intent(parent: Remote), T0, problem: (Reason.PeerSplitView, "split"))
            .ShouldBeOfType<Decision.Refused>().Reason.ShouldBe(Reason.PeerSplitView);
    }

    [Fact]
    public void The_childs_authorization_is_attenuated_by_the_attested_scope_and_expiry()
    {
        var declared = After((Attested(scope: ["read"], expiresAt: At(60)), T0), (Intent(parent: Remote), T0), (Governance(), At(1)));

        Decide(declared, Authorization(scope: ["read"], expiresAt: At(60)), At(2)).ShouldBeOfType<Decision.Accepted>();
        Decide(declared, Authorization(scope: ["read", "write"], expiresAt: At(60)), At(2)).ShouldBeOfType<Decision.Refused>().Reason.ShouldBe(Reason.AuthorizationScopeExceeded);
        Decide(declared, Authorization(scope: ["read"], expiresAt: At(61)), At(2)).ShouldBeOfType<Decision.Refused>().Reason.ShouldBe(Reason.AuthorizationScopeExceeded);
    }

    [Fact]
    public void An_attestation_of_another_parent_is_unjustified()
    {
        var declared = After((Attested(), T0), (Intent(parent: Remote), T0));
        var other = Attested() with { ExecutionId = ExecutionId.Parse("someone-else") };

        Decide(declared, other, At(1), byLedger: true).ShouldBeOfType<Decision.Invalid>().Code.ShouldBe("ledger-event-unjustified");
    }

    [Fact]
    public void A_running_child_is_not_allowed_once_its_parents_attestation_is_older_than_max_peer_silence()
    {
        var running = After([(Attested(at: At(3)), At(3)), .. UpTo(ExecutionStatus.Running, parent: Remote).Select(r => (r.Event, r.At))]);

        Execution.Status(running, At(5), DefaultParameters).Allowed.ShouldBeTrue();
        var stale = Execution.Status(running, At(9), DefaultParameters);
        stale.Allowed.ShouldBeFalse();
        stale.Reason.ShouldBe(Reason.FederationSyncLost);
    }
}
