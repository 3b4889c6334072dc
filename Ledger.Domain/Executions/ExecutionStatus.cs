namespace Ledger.Domain.Executions;

/// <summary>Where an execution stands (wire names via <see cref="LifecycleNames"/>: <c>none</c>, <c>declared</c>, ...).</summary>
/// <remarks>
/// Each non-terminal status is reached by the phase event of the same rank; <see cref="Completed"/>,
/// <see cref="Denied"/> and <see cref="Halted"/> are terminal: only <c>execution.proof-persisted.v1</c> follows them.
/// </remarks>
public enum ExecutionStatus
{
    /// <summary>No event yet.</summary>
    None = 0,

    /// <summary>Intent declared.</summary>
    Declared,

    /// <summary>Governance synchronized.</summary>
    Governed,

    /// <summary>Authorization issued.</summary>
    Authorized,

    /// <summary>Runtime trust established.</summary>
    Trusted,

    /// <summary>Started (and possibly verified).</summary>
    Running,

    /// <summary>Completed (terminal).</summary>
    Completed,

    /// <summary>Denied before start (terminal).</summary>
    Denied,

    /// <summary>Halted after start (terminal).</summary>
    Halted,
}
