using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;

namespace Ledger.Domain.Tests.Executions;

/// <summary>
/// Given(events) / When(submission) / Then(decision) for the lifecycle rules, without a database:
/// <c>Lifecycle.Given(history).At(time).When(event).ThenDenied(reason)</c>.
/// </summary>
internal sealed record Lifecycle(IReadOnlyList<Recorded> History)
{
    private ExecutionId Id { get; init; } = Sample.Id;

    private DateTimeOffset? Time { get; init; }

    private LedgerParameters Parameters { get; init; } = Sample.DefaultParameters;

    private ExecutionState? Parent { get; init; }

    private bool ParentIsRemote { get; init; }

    private bool IsLedger { get; init; }

    private ExecutionId? EndedAncestor { get; init; }

    private Domain.Publications.GovernanceBook Governance { get; init; } = Domain.Publications.GovernanceBook.Empty;

    public static Lifecycle Given(params Recorded[] history) => new(history);

    public static Lifecycle GivenNothing() => new([]);

    public Lifecycle For(ExecutionId id) => this with { Id = id };

    /// <summary>The submission's recordedAt (default: one minute after the last event, or T0).</summary>
    public Lifecycle At(DateTimeOffset at) => this with { Time = at };

    public Lifecycle With(LedgerParameters parameters) => this with { Parameters = parameters };

    public Lifecycle WithParent(ExecutionState? parent) => this with { Parent = parent, ParentIsRemote = false };

    public Lifecycle WithRemoteParent(ExecutionState? parent = null) => this with { Parent = parent, ParentIsRemote = true };

    public Lifecycle ByLedger() => this with { IsLedger = true };

    /// <summary>An ancestor on this ledger was denied or halted (its cascade may not have landed yet).</summary>
    public Lifecycle WithEndedAncestor(ExecutionId ancestor) => this with { EndedAncestor = ancestor };

    /// <summary>The <c>$governance</c> stream as committed before the submission.</summary>
    public Lifecycle WithGovernance(Domain.Publications.GovernanceBook book) => this with { Governance = book };

    public ExecutionState State => Sample.State(History, Id);

    public Outcome When(IExecutionEvent @event, string domain = Sample.Origin)
    {
        var at = Time ?? (History.Count == 0 ? Sample.T0 : History[^1].At.AddMinutes(1));
        var submission = Sample.SubmissionOf(@event, domain) with { ByLedger = IsLedger };
        var context = new DecisionContext(at, Parameters) { Parent = Parent, ParentIsRemote = ParentIsRemote, EndedAncestor = EndedAncestor, Governance = Governance };
        var state = State;
        return new Outcome(state, submission, Execution.Decide(state, submission, context));
    }

    internal sealed record Outcome(ExecutionState State, Submission Submission, Decision Decision)
    {
        public void ThenAccepted() => Decision.ShouldBeOfType<Decision.Accepted>(Describe());

        /// <summary>Refused, and the ledger appends a denial carrying the submission's evidence.</summary>
        public ExecutionDenied ThenDenied(Reason reason) => ThenRefused<ExecutionDenied>(reason);

        /// <summary>Refused, and the ledger appends a halt carrying the submission's evidence.</summary>
        public ExecutionHalted ThenHalted(Reason reason) => ThenRefused<ExecutionHalted>(reason);

        public void ThenConflict(string code) => Decision.ShouldBeOfType<Decision.Conflict>(Describe()).Code.ShouldBe(code);

        public void ThenInvalid(string code) => Decision.ShouldBeOfType<Decision.Invalid>(Describe()).Code.ShouldBe(code);

        private T ThenRefused<T>(Reason reason)
            where T : class, ITermination
        {
            var refused = Decision.ShouldBeOfType<Decision.Refused>(Describe());
            refused.Reason.ShouldBe(reason, Describe());
            refused.Detail.ShouldNotBeNullOrWhiteSpace();
            var terminal = refused.LedgerEvents.ShouldHaveSingleItem().ShouldBeOfType<T>();
            terminal.Reason.ShouldBe(reason);
            terminal.Detail.ShouldBe(refused.Detail);
            terminal.Rejected.ShouldBe(new RejectedEvent(Submission.EventId, Submission.Type, Submission.Digest));
            return terminal;
        }

        private string Describe() => $"decision was {Decision}";
    }
}
