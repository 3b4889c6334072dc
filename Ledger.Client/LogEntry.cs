using Ledger.Domain.Log;
using Ledger.Domain.Merkle;

namespace Ledger.Client;

/// <summary>One entry of the log as <c>GET /v1/log/entries</c> serves it: its exact canonical bytes (the Merkle leaf
/// input) and the entry they parse to.</summary>
public sealed class LogEntry
{
    private readonly byte[] _canonical;

    internal LogEntry(byte[] canonical, LedgerEntry entry)
    {
        _canonical = canonical;
        Entry = entry;
        LeafHash = MerkleHash.HashLeaf(canonical);
    }

    /// <summary>The entry's position (= Merkle leaf index): resume a subscription from <c>Position + 1</c>.</summary>
    public long Position => Entry.Position;

    /// <summary>The entry: stream, version, event id, type, domain, emitter, data, signature, recorded time.</summary>
    public LedgerEntry Entry { get; }

    /// <summary>The exact bytes that were hashed (RFC 8785 JSON, docs/FORMAT.md §2.1).</summary>
    public ReadOnlyMemory<byte> CanonicalBytes => _canonical;

    /// <summary>SHA-256(0x00 ‖ entry), RFC 6962 §2.1.</summary>
    public byte[] LeafHash { get; }
}
