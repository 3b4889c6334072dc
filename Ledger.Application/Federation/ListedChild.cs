using Ledger.Domain.Executions;

namespace Ledger.Application.Federation;

/// <summary>A child a peer's listing names (a hint: nothing is shown before its attestation verifies).</summary>
/// <param name="ExecutionId">The child, on the peer.</param>
/// <param name="Position">Its first position on the peer: the listing's cursor.</param>
/// <remarks>Immutable.</remarks>
public sealed record ListedChild(ExecutionId ExecutionId, long Position);
