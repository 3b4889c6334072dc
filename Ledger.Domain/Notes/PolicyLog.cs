namespace Ledger.Domain.Notes;

/// <summary>A log of a <see cref="TlogPolicy"/>: its key (whose name is its origin) and optional URL.</summary>
/// <param name="Key">The log's verifier key.</param>
/// <param name="Url">The URL on the log line, or null.</param>
public sealed record PolicyLog(NoteVerifier Key, string? Url);
