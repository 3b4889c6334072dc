namespace Ledger.Domain.Witnessing;

/// <summary>The latest checkpoint a witness cosigned for one log: its size, root and the signed note.</summary>
/// <param name="Size">The tree size.</param>
/// <param name="Root">The 32-byte root hash.</param>
/// <param name="Note">The signed checkpoint as cosigned (with the log's signatures and the witness's cosignature).</param>
public sealed record WitnessedHead(long Size, byte[] Root, string Note);
