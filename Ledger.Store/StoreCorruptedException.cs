namespace Ledger.Store;

/// <summary>
/// The stored log contradicts itself (for example its head root is not the root of its stored tree):
/// the store refuses to open or to write until an operator has looked at it.
/// </summary>
public sealed class StoreCorruptedException : Exception
{
    /// <summary>Creates the exception with a description of the contradiction.</summary>
    public StoreCorruptedException(string message)
        : base(message)
    {
    }
}
