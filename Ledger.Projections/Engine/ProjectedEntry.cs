using Ledger.Domain.Log;

namespace Ledger.Projections.Engine;

/// <summary>A log entry as projections see it: parsed, with its position and leaf hash.</summary>
internal sealed record ProjectedEntry(long Position, byte[] LeafHash, LedgerEntry Entry);
