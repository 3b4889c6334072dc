using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Ledger.Domain.Events;

namespace Ledger.Domain.Executions;

/// <summary>
/// Reads and writes the <c>data</c> object of execution events (docs/FORMAT.md §6).
/// </summary>
/// <remarks>
/// Parsing is strict: every required member present with the right kind and format, no unknown
/// or duplicate members, enumerations and reasons from their closed sets, timestamps in RFC 3339
/// (kept to the microsecond), digests as <c>sha256:</c> and 64 lowercase hex digits. All problems
/// are reported at once as <c>path: message</c>. Writing produces camelCase members and checks
/// its own output with the parser, so the ledger never writes data it would refuse to read.
/// Stateless and thread-safe.
/// </remarks>
public static partial class ExecutionEventCodec
{
    private static readonly Dictionary<string, Func<DataReader, IExecutionEvent?>> Readers = new(StringComparer.Ordinal)
    {
        [WireNames.Of<IntentDeclared>()] = ReadIntentDeclared,
        [WireNames.Of<GovernanceSynchronized>()] = ReadGovernanceSynchronized,
        [WireNames.Of<AuthorizationIssued>()] = ReadAuthorizationIssued,
        [WireNames.Of<RuntimeTrustEstablished>()] = ReadRuntimeTrustEstablished,
        [WireNames.Of<ExecutionStarted>()] = ReadStarted,
        [WireNames.Of<RuntimeVerified>()] = ReadRuntimeVerified,
        [WireNames.Of<ExecutionCompleted>()] = ReadCompleted,
        [WireNames.Of<ProofPersisted>()] = ReadProofPersisted,
        [WireNames.Of<ExecutionDenied>()] = r => ReadTermination(r, (reason, detail, rejected) => new ExecutionDenied(reason, detail, rejected)),
        [WireNames.Of<ExecutionHalted>()] = r => ReadTermination(r, (reason, detail, rejected) => new ExecutionHalted(reason, detail, rejected)),
        [WireNames.Of<ParentAttested>()] = ReadParentAttested,
        [WireNames.Of<GovernanceAttested>()] = ReadGovernanceAttested,
    };

    /// <summary>The wire names of every execution event type.</summary>
    public static IReadOnlyCollection<string> Types => Readers.Keys;

    /// <summary>
    /// The wire names of the execution events only the ledger appends (<c>execution.proof-persisted.v1</c>,
    /// <c>federation.parent-attested.v1</c>, <c>federation.governance-attested.v1</c>); an emitter's submission of one is refused.
    /// </summary>
    public static IReadOnlyCollection<string> LedgerOnlyTypes { get; } = [WireNames.Of<ProofPersisted>(), WireNames.Of<ParentAttested>(), WireNames.Of<GovernanceAttested>()];

    /// <summary>Whether <paramref name="type"/> names an execution event.</summary>
    public static bool IsExecutionEventType(string type) => Readers.ContainsKey(type);

    /// <summary>The wire name of an event, e.g. <c>execution.started.v1</c>.</summary>
    public static string TypeOf(IExecutionEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return WireNames.Of(@event.GetType());
    }

    /// <summary>Parses the data of an event of wire type <paramref name="type"/>.</summary>
    /// <param name="type">The entry's <c>type</c>.</param>
    /// <param name="data">The entry's <c>data</c> object.</param>
    /// <param name="event">The event, when valid.</param>
    /// <param name="errors">Every problem found, as <c>path: message</c>; empty when valid.</param>
    /// <returns>Whether the data is a valid event of that type.</returns>
    public static bool TryParse(string type, JsonElement data, [NotNullWhen(true)] out IExecutionEvent? @event, out IReadOnlyList<string> errors) =>
        DataCodec.TryParse(Readers, "an execution event type", type, data, out @event, out errors);

    /// <summary>Writes the data object of an event.</summary>
    /// <exception cref="ArgumentException">The event holds values its wire format does not allow (a bug in the caller).</exception>
    public static JsonElement ToData(IExecutionEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var data = JsonData.Build(writer => Write(writer, @event));
        if (!TryParse(TypeOf(@event), data, out _, out var errors))
        {
            throw new ArgumentException($"The {TypeOf(@event)} event is not valid: {string.Join("; ", errors)}", nameof(@event));
        }

        return data;
    }
}
