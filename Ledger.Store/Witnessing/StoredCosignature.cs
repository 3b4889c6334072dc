namespace Ledger.Store.Witnessing;

/// <summary>A witness's cosignature of one of the ledger's own checkpoints, as kept (one row of <c>cosignatures</c>).</summary>
/// <param name="Size">The size of the checkpoint it cosigns.</param>
/// <param name="Witness">The witness's name in the ledger's witness configuration (or policy).</param>
/// <param name="SignatureLine">The signed-note signature line (<c>— name base64</c>), without its newline.</param>
/// <param name="StoredAt">When the ledger kept it.</param>
public sealed record StoredCosignature(long Size, string Witness, string SignatureLine, DateTimeOffset StoredAt);
