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
        new(2, "execution-record", """
            ALTER TABLE log_head ADD COLUMN last_recorded_at INTEGER NOT NULL DEFAULT 0;
            CREATE TABLE executions (
                execution_id   TEXT PRIMARY KEY,
                stream_version INTEGER NOT NULL CHECK (stream_version >= 1),
                last_position  INTEGER NOT NULL CHECK (last_position >= 0),
                last_leaf_hash BLOB NOT NULL CHECK (length(last_leaf_hash) = 32),
                status         INTEGER NOT NULL,
                parent_id      TEXT,
                root_id        TEXT NOT NULL,
                depth          INTEGER NOT NULL CHECK (depth >= 0),
                declared_at    INTEGER,
                verify_from    INTEGER,
                expires_at     INTEGER,
                proven         INTEGER NOT NULL,
                state          BLOB NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX executions_parent ON executions (parent_id) WHERE parent_id IS NOT NULL;
            CREATE INDEX executions_root ON executions (root_id);
            CREATE INDEX executions_intent_due ON executions (declared_at) WHERE status BETWEEN 1 AND 4;
            CREATE INDEX executions_verification_due ON executions (verify_from) WHERE status = 5;
            CREATE INDEX executions_expiry_due ON executions (expires_at) WHERE status = 5;
            CREATE INDEX executions_unproven ON executions (root_id) WHERE status >= 6 AND proven = 0;
            CREATE TABLE cascades (
                execution_id TEXT PRIMARY KEY,
                position     INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
        new(3, "witness", """
            CREATE TABLE witnessed_logs (
                origin        TEXT PRIMARY KEY,
                size          INTEGER NOT NULL CHECK (size >= 0),
                root          BLOB NOT NULL CHECK (length(root) = 32),
                note          TEXT NOT NULL,
                cosigned_at   TEXT NOT NULL,
                logged_size   INTEGER NOT NULL DEFAULT -1 CHECK (logged_size >= -1),
                split_view_at TEXT
            ) WITHOUT ROWID;
            """),
        new(4, "cosignatures", """
            CREATE TABLE cosignatures (
                size           INTEGER NOT NULL CHECK (size >= 0),
                witness        TEXT NOT NULL,
                signature_line TEXT NOT NULL,
                stored_at      TEXT NOT NULL,
                PRIMARY KEY (size, witness)
            ) WITHOUT ROWID;
            CREATE INDEX cosignatures_witness ON cosignatures (witness, size);
            """),
        new(5, "remote-parents", """
            ALTER TABLE executions ADD COLUMN remote_origin TEXT;
            ALTER TABLE executions ADD COLUMN remote_parent_id TEXT;
            CREATE INDEX executions_remote_open ON executions (remote_origin, remote_parent_id)
                WHERE remote_origin IS NOT NULL AND status BETWEEN 1 AND 5;
            CREATE TABLE remote_parents (
                origin             TEXT NOT NULL,
                execution_id       TEXT NOT NULL,
                verified_at        INTEGER NOT NULL,
                status             INTEGER NOT NULL,
                attestation_digest TEXT NOT NULL,
                checkpoint_size    INTEGER NOT NULL CHECK (checkpoint_size >= 0),
                PRIMARY KEY (origin, execution_id)
            ) WITHOUT ROWID;
            CREATE TABLE followed_peers (
                origin        TEXT PRIMARY KEY,
                size          INTEGER NOT NULL CHECK (size >= 0),
                note          TEXT NOT NULL,
                split_view_at INTEGER
            ) WITHOUT ROWID;
            -- The records written before this version get their remote parent from the log: the store folds the
            -- log into the records once more on open, as it did at version 2.
            UPDATE log_head SET last_recorded_at = 0;
            """),
        new(6, "attestations", """
            -- The execution attestations behind the federation.parent-attested.v1 records of this log, by digest, so that a
            -- lineage export can carry them and an auditor can verify them again offline (FORMAT §7.3, §10).
            CREATE TABLE attestations (
                digest TEXT PRIMARY KEY,
                text   TEXT NOT NULL
            ) WITHOUT ROWID;
            """),
        new(7, "first-position", """
            -- Each execution's first position: the order executions came to be in, so that a peer's link job can page the
            -- executions whose parent is on its ledger (open or ended) by a cursor that misses none. The records written
            -- before this version take it from their stream's first entry.
            ALTER TABLE executions ADD COLUMN first_position INTEGER NOT NULL DEFAULT -1;
            UPDATE executions SET first_position = coalesce(
                (SELECT position FROM entries WHERE stream = 'execution-' || executions.execution_id ORDER BY stream_version LIMIT 1), -1);
            CREATE INDEX executions_remote_children ON executions (remote_origin, first_position) WHERE remote_origin IS NOT NULL;
            """),
    ];
}
