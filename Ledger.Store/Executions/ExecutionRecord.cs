using Ledger.Domain.Executions;

namespace Ledger.Store;

/// <summary>
/// The execution record (DESIGN §6): an execution's folded state and its lineage edge, written in the same
/// transaction as the entries that change it. Decisions read it under the write lock, never a read model.
/// </summary>
/// <param name="State">The stream folded with <see cref="Execution.Evolve"/>.</param>
/// <param name="StreamVersion">The version of the stream's last entry.</param>
/// <param name="LastPosition">The log position of the stream's last entry.</param>
/// <param name="LastLeafHash">The leaf hash of the stream's last entry.</param>
/// <param name="Parent">The parent on this ledger (null for a root, or when the parent is on another ledger).</param>
/// <param name="Root">The root of the lineage tree on this ledger (itself for a root).</param>
/// <param name="Depth">0 for a root, the parent's depth + 1 otherwise.</param>
/// <remarks>Immutable.</remarks>
public sealed record ExecutionRecord(
    ExecutionState State, long StreamVersion, long LastPosition, byte[] LastLeafHash, ExecutionId? Parent, ExecutionId Root, int Depth)
{
    /// <summary>The execution.</summary>
    public ExecutionId Id => State.Id;

    /// <summary>
    /// The parent on another ledger (the intent's <c>parent</c> when it names a ledger other than this one), which the
    /// follow job watches; null for a root or a parent on this ledger. Written with the record, so that the store can
    /// list the open executions under each remote parent.
    /// </summary>
    public ParentRef? RemoteParent { get; init; }

    /// <summary>
    /// The log position of the first entry that made the record (the stream's first entry): set once, never changed, so
    /// that executions can be listed in the order they came to be, by a cursor that misses none (positions are committed in
    /// order), as <c>GET /v1/federation/children</c> does.
    /// </summary>
    public long FirstPosition { get; init; }

    /// <summary>Denied or halted: the end that its descendants must follow (DESIGN §3, lineage).</summary>
    public bool EndsDescendants => State.Status is ExecutionStatus.Denied or ExecutionStatus.Halted;
}
