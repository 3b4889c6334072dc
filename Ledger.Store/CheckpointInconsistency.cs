namespace Ledger.Store;

/// <summary>Why a checkpoint was refused.</summary>
public enum CheckpointInconsistency
{
    /// <summary>The checkpoint's root is not the stored tree's root at its size.</summary>
    RootMismatch,

    /// <summary>A checkpoint for a larger tree is already stored.</summary>
    OlderThanLatest,
}
