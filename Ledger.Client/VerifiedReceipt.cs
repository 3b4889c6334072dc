using Ledger.Domain.Log;
using Ledger.Domain.Notes;

namespace Ledger.Client;

/// <summary>A receipt checked offline: the entry is at <see cref="Position"/> in the tree a trusted key signed.</summary>
/// <param name="Position">The entry's position.</param>
/// <param name="Checkpoint">The signed checkpoint it is included in.</param>
/// <param name="SignedBy">The names of the trusted keys (and witnesses) whose signatures verified.</param>
/// <param name="LeafHash">The entry's leaf hash.</param>
/// <param name="Entry">The entry the receipt carries.</param>
/// <param name="Text">The receipt (c2sp.org/tlog-proof@v1) as received.</param>
public sealed record VerifiedReceipt(long Position, Checkpoint Checkpoint, IReadOnlyList<string> SignedBy, byte[] LeafHash, LedgerEntry Entry, string Text);
