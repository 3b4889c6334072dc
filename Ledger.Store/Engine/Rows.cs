namespace Ledger.Store.Engine;

/// <summary>The log head row: the committed tree size and root, and the last entry's recordedAt (UTC ticks, 0 for none).</summary>
internal sealed record LogHead(long Size, byte[] Root, long LastRecordedAt = 0);

/// <summary>An event already in the log, found by its event id.</summary>
internal sealed record ExistingEvent(string EventId, long Position, string StatementDigest, byte[] Entry);

/// <summary>A stream's last version and that entry's leaf hash.</summary>
internal sealed record StreamHead(long Version, byte[] LeafHash);

/// <summary>One entries row to insert.</summary>
internal sealed record EntryRow(long Position, string Stream, long StreamVersion, string EventId, string StatementDigest, byte[] LeafHash, byte[] Entry);

/// <summary>What a batch needs to know before it assigns positions.</summary>
internal sealed record AppendLookup(
    IReadOnlyDictionary<string, ExistingEvent> Events,
    IReadOnlyDictionary<string, StreamHead> Streams,
    IReadOnlyDictionary<string, ExecutionRecord> Records);


/// <summary>One versioned schema migration.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
