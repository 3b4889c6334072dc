namespace Ledger.Store;

/// <summary>A signed checkpoint as stored.</summary>
/// <param name="Size">Tree size the checkpoint commits to.</param>
/// <param name="Root">Root hash of the tree at <paramref name="Size"/>.</param>
/// <param name="SignedNote">The C2SP signed note text, exactly as given.</param>
/// <param name="StoredAt">When the store accepted it.</param>
public sealed record StoredCheckpoint(long Size, byte[] Root, string SignedNote, DateTimeOffset StoredAt);
