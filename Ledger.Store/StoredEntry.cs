namespace Ledger.Store;

/// <summary>One log entry as stored: its position, its exact canonical bytes and its leaf hash.</summary>
/// <param name="Position">0-based position (= Merkle leaf index).</param>
/// <param name="Entry">The entry's canonical bytes (RFC 8785), exactly as hashed.</param>
/// <param name="LeafHash">SHA-256(0x00 ‖ Entry).</param>
public sealed record StoredEntry(long Position, byte[] Entry, byte[] LeafHash);
