using Ledger.Domain.Executions;

namespace Ledger.Store;

/// <summary>An execution of this ledger whose parent is on another ledger, as the execution record holds it.</summary>
/// <param name="ExecutionId">The child, here.</param>
/// <param name="Parent">Its parent (the other ledger's origin and the execution there).</param>
/// <param name="Position">The child's first position (<see cref="ExecutionRecord.FirstPosition"/>): the listing's cursor.</param>
/// <remarks>Immutable.</remarks>
public sealed record RemoteChild(ExecutionId ExecutionId, ParentRef Parent, long Position);
