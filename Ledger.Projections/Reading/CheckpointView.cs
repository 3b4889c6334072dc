namespace Ledger.Projections.Reading;

/// <summary>A signed checkpoint of the log.</summary>
/// <param name="Size">The tree size.</param>
/// <param name="RootHash">The root hash, standard base64.</param>
/// <param name="StoredAt">When the store accepted it.</param>
/// <param name="Signers">The names of the keys that signed it: the ledger's, then witnesses'.</param>
/// <param name="SignedNote">The C2SP signed note text.</param>
public sealed record CheckpointView(long Size, string RootHash, DateTimeOffset StoredAt, IReadOnlyList<string> Signers, string SignedNote);
