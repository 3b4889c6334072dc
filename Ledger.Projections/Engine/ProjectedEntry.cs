using Ledger.Domain.Log;

namespace Ledger.Projections.Engine;

/// <summary>A log entry as projections see it: parsed, with its position, leaf hash and what <see cref="IProjection.Prepare"/> made of it.</summary>
internal sealed record ProjectedEntry(long Position, byte[] LeafHash, LedgerEntry Entry, object? Prepared = null);
