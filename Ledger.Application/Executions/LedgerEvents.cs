using System.Globalization;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Store;

namespace Ledger.Application.Executions;

/// <summary>
/// The one author of the events the ledger writes into execution streams on its own (refusals, cascades,
/// sweeps, proofs), with their deterministic event ids: a retry, a second node or a restarted job produces the
/// same id, so the log holds each of them at most once.
/// </summary>
public static class LedgerEvents
{
    /// <summary>The emitter name under which the ledger appends.</summary>
    public const string Emitter = Ledger.Domain.Bundles.BundleFormat.LedgerEmitter;

    /// <summary>
    /// The id of the <paramref name="index"/>-th event of a refusal of submission <paramref name="eventId"/>. Event
    /// ids are unique across the log, so it names the execution as well: two executions may each have a submission
    /// with the same id refused.
    /// </summary>
    public static string RefusalId(ExecutionId execution, string eventId, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"ledger-refusal-{execution.Value}-{eventId}-{index}");

    /// <summary>The id of the end a cascade from <paramref name="ended"/> appends to <paramref name="descendant"/>.</summary>
    public static string CascadeId(ExecutionId ended, ExecutionId descendant) => $"ledger-cascade-{ended.Value}-{descendant.Value}";

    /// <summary>The id of the sweep's end of an execution at stream version <paramref name="version"/>.</summary>
    public static string SweepId(ExecutionId execution, long version) =>
        string.Create(CultureInfo.InvariantCulture, $"ledger-sweep-{execution.Value}-{version}");

    /// <summary>The id of the <c>federation.parent-attested.v1</c> appended at <paramref name="version"/> of an execution's stream (FORMAT §10.4).</summary>
    public static string AttestedId(ExecutionId execution, long version) =>
        string.Create(CultureInfo.InvariantCulture, $"ledger-attested-{execution.Value}-{version}");

    /// <summary>The id of the <c>federation.governance-attested.v1</c> appended at <paramref name="version"/> of an execution's stream (FORMAT §10.9).</summary>
    public static string GovernanceAttestedId(ExecutionId execution, long version) =>
        string.Create(CultureInfo.InvariantCulture, $"ledger-governance-{execution.Value}-{version}");

    /// <summary>The id of the end the follow job appends to an execution at stream version <paramref name="version"/> (its remote parent ended, or could not be proven).</summary>
    public static string FollowId(ExecutionId execution, long version) =>
        string.Create(CultureInfo.InvariantCulture, $"ledger-follow-{execution.Value}-{version}");

    /// <summary>The id of an execution's proof (FORMAT §8).</summary>
    public static string ProofId(ExecutionId execution) => "ledger-proof-" + execution.Value;

    /// <summary>An execution event written by the ledger, with its parsed form.</summary>
    public static DecidedEvent Event(ExecutionId execution, string eventId, IExecutionEvent @event, string domain) =>
        new(
            new ProposedEvent(
                new EmitterStatement(execution.StreamName, eventId, ExecutionEventCodec.TypeOf(@event), domain, Emitter, null, ExecutionEventCodec.ToData(@event), null),
                null),
            @event);

    /// <summary>The domain the ledger's events of an execution speak for: its origin domain.</summary>
    public static string DomainOf(ExecutionState state) => state.OriginDomain ?? "ledger";
}
