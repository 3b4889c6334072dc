using Ledger.Domain.Executions;

namespace Ledger.Store;

/// <summary>An open execution of this ledger whose parent is on another ledger, as the execution record holds it.</summary>
/// <param name="ExecutionId">The child, here.</param>
/// <param name="Parent">Its parent (the other ledger's origin and the execution there).</param>
/// <remarks>Immutable.</remarks>
public sealed record RemoteChild(ExecutionId ExecutionId, ParentRef Parent);
