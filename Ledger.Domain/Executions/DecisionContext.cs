using Ledger.Domain.Parameters;

namespace Ledger.Domain.Executions;

/// <summary>What, besides the execution's own state, a decision depends on.</summary>
/// <param name="RecordedAt">The ledger's <c>recordedAt</c> for the submission: all time rules use it, so a replay decides as the server did.</param>
/// <param name="Parameters">The ledger parameters in force at the submission's position.</param>
/// <remarks>
/// For an execution with a parent (or an intent naming one), set <see cref="Parent"/> to the
/// parent's state for every submission when the parent lives on this ledger; null then means the
/// parent does not exist. Set <see cref="ParentIsRemote"/> when the parent reference names another
/// ledger: lineage rules are then checked by federation (receipts), and attenuation only if a
/// parent state is supplied. Immutable.
/// </remarks>
public sealed record DecisionContext(DateTimeOffset RecordedAt, LedgerParameters Parameters)
{
    /// <summary>The parent's state, when the parent is known (on this ledger); null when absent.</summary>
    public ExecutionState? Parent { get; init; }

    /// <summary>Whether the parent reference names another ledger.</summary>
    public bool ParentIsRemote { get; init; }
}
