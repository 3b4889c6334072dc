using Ledger.Store.Engine;

namespace Ledger.Store.Postgres;

/// <summary>The PostgreSQL schema, as versioned migrations (docs/OPERATIONS.md describes every column).</summary>
internal static class PostgresSchema
{
    /// <summary>Transaction-level advisory lock key serializing migrations of concurrently starting nodes.</summary>
    public const long MigrationLock = 0x4C_65_64_67_65_72_4D_31; // "LedgerM1"

    /// <summary>The channel each commit NOTIFYs with the new tree size.</summary>
    public const string Channel = "ledger_log";

    public const string MigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer PRIMARY KEY,
            name       text NOT NULL,
            applied_at timestamptz NOT NULL
        );
        """;

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "log", """
            CREATE TABLE log_head (
                id         smallint PRIMARY KEY CHECK (id = 1),
                origin     text NOT NULL,
                size       bigint NOT NULL CHECK (size >= 0),
                root       bytea NOT NULL CHECK (octet_length(root) = 32),
                updated_at timestamptz NOT NULL
            );
            CREATE TABLE entries (
                position         bigint PRIMARY KEY CHECK (position >= 0),
                stream           text NOT NULL,
                stream_version   bigint NOT NULL CHECK (stream_version >= 1),
                event_id         text NOT NULL,
                statement_digest text NOT NULL,
                leaf_hash        bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
                entry            bytea NOT NULL,
                CONSTRAINT entries_event_id UNIQUE (event_id),
                CONSTRAINT entries_stream_version UNIQUE (stream, stream_version)
            );
            CREATE TABLE merkle_tiles (
                tile_level integer NOT NULL CHECK (tile_level >= 0),
                tile_index bigint NOT NULL CHECK (tile_index >= 0),
                width      integer NOT NULL CHECK (width BETWEEN 1 AND 256),
                hashes     bytea NOT NULL CHECK (octet_length(hashes) = width * 32),
                PRIMARY KEY (tile_level, tile_index)
            );
            -- Hashes do not compress: store them out of line without trying.
            ALTER TABLE merkle_tiles ALTER COLUMN hashes SET STORAGE EXTERNAL;
            CREATE TABLE checkpoints (
                size        bigint PRIMARY KEY CHECK (size >= 0),
                root        bytea NOT NULL CHECK (octet_length(root) = 32),
                signed_note text NOT NULL,
                stored_at   timestamptz NOT NULL
            );
            """),
        new(2, "execution-record", """
            ALTER TABLE log_head ADD COLUMN last_recorded_at bigint NOT NULL DEFAULT 0;
            CREATE TABLE executions (
                execution_id   text PRIMARY KEY,
                stream_version bigint NOT NULL CHECK (stream_version >= 1),
                last_position  bigint NOT NULL CHECK (last_position >= 0),
                last_leaf_hash bytea NOT NULL CHECK (octet_length(last_leaf_hash) = 32),
                status         integer NOT NULL,
                parent_id      text,
                root_id        text NOT NULL,
                depth          integer NOT NULL CHECK (depth >= 0),
                declared_at    bigint,
                verify_from    bigint,
                expires_at     bigint,
                proven         boolean NOT NULL,
                state          bytea NOT NULL
            );
            CREATE INDEX executions_parent ON executions (parent_id) WHERE parent_id IS NOT NULL;
            CREATE INDEX executions_root ON executions (root_id);
            CREATE INDEX executions_intent_due ON executions (declared_at) WHERE status BETWEEN 1 AND 4;
            CREATE INDEX executions_verification_due ON executions (verify_from) WHERE status = 5;
            CREATE INDEX executions_expiry_due ON executions (expires_at) WHERE status = 5;
            CREATE INDEX executions_unproven ON executions (root_id) WHERE status >= 6 AND NOT proven;
            CREATE TABLE cascades (
                execution_id text PRIMARY KEY,
                position     bigint NOT NULL
            );
            """),
        new(3, "witness", """
            CREATE TABLE witnessed_logs (
                origin        text PRIMARY KEY,
                size          bigint NOT NULL CHECK (size >= 0),
                root          bytea NOT NULL CHECK (octet_length(root) = 32),
                note          text NOT NULL,
                cosigned_at   timestamptz NOT NULL,
                logged_size   bigint NOT NULL DEFAULT -1 CHECK (logged_size >= -1),
                split_view_at timestamptz
            );
            """),
        new(4, "cosignatures", """
            CREATE TABLE cosignatures (
                size           bigint NOT NULL CHECK (size >= 0),
                witness        text NOT NULL,
                signature_line text NOT NULL,
                stored_at      timestamptz NOT NULL,
                PRIMARY KEY (size, witness)
            );
            CREATE INDEX cosignatures_witness ON cosignatures (witness, size);
            """),
        new(5, "remote-parents", """
            ALTER TABLE executions ADD COLUMN remote_origin text;
            ALTER TABLE executions ADD COLUMN remote_parent_id text;
            CREATE INDEX executions_remote_open ON executions (remote_origin, remote_parent_id)
                WHERE remote_origin IS NOT NULL AND status BETWEEN 1 AND 5;
            CREATE TABLE remote_parents (
                origin             text NOT NULL,
                execution_id       text NOT NULL,
                verified_at        bigint NOT NULL,
                status             integer NOT NULL,
                attestation_digest text NOT NULL,
                checkpoint_size    bigint NOT NULL CHECK (checkpoint_size >= 0),
                PRIMARY KEY (origin, execution_id)
            );
            CREATE TABLE followed_peers (
                origin        text PRIMARY KEY,
                size          bigint NOT NULL CHECK (size >= 0),
                note          text NOT NULL,
                split_view_at bigint
            );
            -- The records written before this version get their remote parent from the log: the store folds the
            -- log into the records once more on open, as it did at version 2.
            UPDATE log_head SET last_recorded_at = 0;
            """),
        new(6, "remote-parents-ordinal-index", """
            -- The follow job lists remote parents in ordinal order by seeking this index once per parent; an index in
            -- the database's default collation cannot serve "C" comparisons, and the listing scanned every execution.
            DROP INDEX executions_remote_open;
            CREATE INDEX executions_remote_open ON executions (remote_origin COLLATE "C", remote_parent_id COLLATE "C")
                WHERE remote_origin IS NOT NULL AND status BETWEEN 1 AND 5;
            """),
        new(7, "attestations", """
            -- The execution attestations behind the federation.parent-attested.v1 records of this log, by digest, so that a
            -- lineage export can carry them and an auditor can verify them again offline (FORMAT §7.3, §10).
            CREATE TABLE attestations (
                digest text PRIMARY KEY,
                text   text NOT NULL
            );
            """),
        new(8, "first-position", """
            -- Each execution's first position: the order executions came to be in, so that a peer's link job can page the
            -- executions whose parent is on its ledger (open or ended) by a cursor that misses none. The records written
            -- before this version take it from their stream's first entry.
            ALTER TABLE executions ADD COLUMN first_position bigint NOT NULL DEFAULT -1;
            UPDATE executions AS e SET first_position = coalesce(
                (SELECT position FROM entries WHERE stream = 'execution-' || e.execution_id ORDER BY stream_version LIMIT 1), -1);
            ALTER TABLE executions ALTER COLUMN first_position DROP DEFAULT;
            CREATE INDEX executions_remote_children ON executions (remote_origin, first_position) WHERE remote_origin IS NOT NULL;
            """),
    ];
}
