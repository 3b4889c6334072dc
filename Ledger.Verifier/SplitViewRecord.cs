using Ledger.Domain.Federation;

namespace Ledger.Verifier;

/// <summary>
/// A <c>federation.split-view-detected.v1</c> record whose evidence shows two views of its origin (FORMAT §6.6.3, §10.5):
/// kept so that the cross-ledger checks can verify the two notes' signatures with the origin's trusted key, which a single
/// bundle's verification does not have.
/// </summary>
/// <param name="Ledger">The origin of the ledger whose bundle holds the record.</param>
/// <param name="Position">The record's position.</param>
/// <param name="Line">Its line in the bundle.</param>
/// <param name="Evidence">The record's data.</param>
public sealed record SplitViewRecord(string Ledger, long Position, long Line, SplitViewDetected Evidence);
