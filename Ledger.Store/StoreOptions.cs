namespace Ledger.Store;

/// <summary>How to open an <see cref="IEventStore"/>.</summary>
public sealed class StoreOptions
{
    /// <summary><see cref="Engine"/> value for the embedded SQLite engine (the default).</summary>
    public const string Sqlite = "sqlite";

    /// <summary><see cref="Engine"/> value for PostgreSQL.</summary>
    public const string Postgres = "postgres";

    /// <summary><see cref="Sqlite"/> or <see cref="Postgres"/>.</summary>
    public string Engine { get; set; } = Sqlite;

    /// <summary>
    /// The engine's connection string: for SQLite <c>Data Source=/path/ledger.db</c>, for PostgreSQL
    /// an Npgsql connection string.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The ledger origin (checkpoint origin line), fixed for the life of a log.</summary>
    public string Origin { get; set; } = "";

    /// <summary>Most events written in one group-commit transaction.</summary>
    public int MaxBatchEvents { get; set; } = 4096;

    /// <summary>
    /// The largest entry appended, in canonical bytes (FORMAT §2.1: 65,535, a tlog-tiles bundle's uint16 length).
    /// Internal: only tests raise it, to write a log as builds before the limit did.
    /// </summary>
    internal int MaxEntryBytes { get; set; } = Ledger.Domain.Log.LedgerEntry.MaxCanonicalBytes;

    /// <summary>
    /// How often <see cref="IEventStore.WaitForPositionAsync"/> looks for appends made by other
    /// processes on SQLite (PostgreSQL is woken by NOTIFY and polls only as a fallback).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The clock for stored-at times of checkpoints and the log head.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
