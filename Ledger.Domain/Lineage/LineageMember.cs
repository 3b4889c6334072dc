// Lineage types live in Ledger.Domain.Executions: a namespace Ledger.Domain.Lineage would hide the
// Lineage rules class from every caller inside Ledger.Domain.*.
namespace Ledger.Domain.Executions;

/// <summary>One execution of a <see cref="LineageForest"/>: its place in its lineage tree and its events' positions.</summary>
/// <remarks>Changed only by its <see cref="LineageForest"/>; not thread-safe.</remarks>
public sealed class LineageMember
{
    private readonly List<long> _positions = [];

    internal LineageMember(ExecutionId execution, ExecutionId? parent, bool declared, LineageForestTree tree)
    {
        Execution = execution;
        Parent = parent;
        Declared = declared;
        Tree = tree;
    }

    /// <summary>The execution.</summary>
    public ExecutionId Execution { get; }

    /// <summary>Its parent in the tree; null for the tree's root.</summary>
    public ExecutionId? Parent { get; }

    /// <summary>Whether its first event is an <c>execution.intent-declared.v1</c> (only such an execution can be a parent).</summary>
    public bool Declared { get; }

    /// <summary>The tree it belongs to.</summary>
    public LineageForestTree Tree { get; }

    /// <summary>The positions of its events (every entry of its stream except proofs), ascending.</summary>
    public IReadOnlyList<long> Positions => _positions;

    /// <summary>Whether it recorded a terminal event (completed, denied, halted).</summary>
    public bool IsEnded { get; internal set; }

    /// <summary>Whether an <c>execution.proof-persisted.v1</c> of its stream was added.</summary>
    public bool HasProof { get; internal set; }

    /// <summary>Whether its events were given from the start of its stream.</summary>
    public bool HistoryComplete { get; internal init; } = true;

    internal void AddPosition(long position) => _positions.Add(position);
}
