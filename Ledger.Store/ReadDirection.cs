namespace Ledger.Store;

/// <summary>Direction of a stream read.</summary>
public enum ReadDirection
{
    /// <summary>Ascending stream versions.</summary>
    Forward,

    /// <summary>Descending stream versions.</summary>
    Backward,
}
