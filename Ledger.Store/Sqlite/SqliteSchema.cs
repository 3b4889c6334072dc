using Ledger.Store.Engine;

namespace Ledger.Store.Sqlite;

/// <summary>The SQLite schema, as versioned migrations (docs/OPERATIONS.md describes every column).</summary>
internal static class SqliteSchema
{
    public const string MigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );
        """;

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "log", """
            CREATE TABLE log_head (
                id         INTEGER PRIMARY KEY CHECK (id = 1),
                origin     TEXT NOT NULL,
                size       INTEGER NOT NULL CHECK (size >= 0),
                root       BLOB NOT NULL CHECK (length(root) = 32),
                updated_at TEXT NOT NULL
            );
            CREATE TABLE entries (
                position         INTEGER PRIMARY KEY CHECK (position >= 0),
                stream           TEXT NOT NULL,
                stream_version   INTEGER NOT NULL CHECK (stream_version >= 1),
                event_id         TEXT NOT NULL,
                statement_digest TEXT NOT NULL,
                leaf_hash        BLOB NOT NULL CHECK (length(leaf_hash) = 32),
                entry            BLOB NOT NULL
            );
            CREATE UNIQUE INDEX entries_event_id ON entries (event_id);
            CREATE UNIQUE INDEX entries_stream_version ON entries (stream, stream_version);
            CREATE TABLE merkle_tiles (
                tile_level INTEGER NOT NULL CHECK (tile_level >= 0),
                tile_index INTEGER NOT NULL CHECK (tile_index >= 0),
                width      INTEGER NOT NULL CHECK (width BETWEEN 1 AND 256),
                hashes     BLOB NOT NULL CHECK (length(hashes) = width * 32),
                PRIMARY KEY (tile_level, tile_index)
            );
            CREATE TABLE checkpoints (
                size        INTEGER PRIMARY KEY CHECK (size >= 0),
                root        BLOB NOT NULL CHECK (length(root) = 32),
                signed_note TEXT NOT NULL,
                stored_at   TEXT NOT NULL
            );
            """),
    ];
}
