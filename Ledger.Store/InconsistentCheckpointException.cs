using System.Globalization;

namespace Ledger.Store;

/// <summary>
/// A checkpoint the store refused to keep because it is not consistent with the log or with the
/// checkpoints already stored. Carries the evidence.
/// </summary>
public sealed class InconsistentCheckpointException : Exception
{
    /// <summary>Creates the exception with its evidence.</summary>
    public InconsistentCheckpointException(
        CheckpointInconsistency reason, long size, byte[] providedRoot, byte[] treeRoot, long? latestStoredSize)
        : base(Describe(reason, size, providedRoot, treeRoot, latestStoredSize))
    {
        Reason = reason;
        Size = size;
        ProvidedRoot = providedRoot;
        TreeRoot = treeRoot;
        LatestStoredSize = latestStoredSize;
    }

    /// <summary>Why it was refused.</summary>
    public CheckpointInconsistency Reason { get; }

    /// <summary>The size the refused checkpoint commits to.</summary>
    public long Size { get; }

    /// <summary>The root the refused checkpoint states.</summary>
    public byte[] ProvidedRoot { get; }

    /// <summary>The stored tree's root at <see cref="Size"/>.</summary>
    public byte[] TreeRoot { get; }

    /// <summary>The size of the latest stored checkpoint, if any.</summary>
    public long? LatestStoredSize { get; }

    private static string Describe(CheckpointInconsistency reason, long size, byte[] providedRoot, byte[] treeRoot, long? latestStoredSize) =>
        reason switch
        {
            CheckpointInconsistency.RootMismatch => string.Create(
                CultureInfo.InvariantCulture,
                $"Checkpoint refused: at size {size} the tree's root is {Convert.ToBase64String(treeRoot)}, the checkpoint states {Convert.ToBase64String(providedRoot)}."),
            _ => string.Create(
                CultureInfo.InvariantCulture,
                $"Checkpoint refused: its size {size} is below the latest stored checkpoint's size {latestStoredSize}."),
        };
}
