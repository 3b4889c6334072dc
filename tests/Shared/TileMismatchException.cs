namespace Ledger.Testing;

/// <summary>A tiled log whose resources disagree with each other or with its checkpoint.</summary>
public sealed class TileMismatchException(string message) : Exception(message);
