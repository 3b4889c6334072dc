using System.Data.Common;
using System.Globalization;
using Ledger.Projections.Engine;

namespace Ledger.Projections.Storage;

/// <summary>
/// The engine's own tables and their versioned migrations (<c>proj_migrations</c>), and each projection's
/// schema version (in <c>proj_positions</c>): a projection whose tables are older than the code is dropped
/// and built again from position 0. Idempotent and safe when several processes start at once.
/// </summary>
internal static class ProjectionSchema
{
    public static TableSpec Migrations { get; } = new(
        "migrations",
        [new("version", ColumnKind.Long), new("name", ColumnKind.Text), new("applied_at", ColumnKind.Text)],
        ["version"],
        []);

    /// <summary>
    /// One row per projection: its position (entries projected), the schema version of its tables, and the
    /// state of a rebuild (<c>requested</c> or <c>building</c>, with the shadow tables' position).
    /// </summary>
    public static TableSpec Positions { get; } = new(
        "positions",
        [
            new("name", ColumnKind.Text),
            new("schema_version", ColumnKind.Long),
            new("position", ColumnKind.Long),
            new("rebuild_state", ColumnKind.Text, Nullable: true),
            new("rebuild_position", ColumnKind.Long, Nullable: true),
            new("rebuild_requested_at", ColumnKind.Long, Nullable: true),
            new("rebuilt_at", ColumnKind.Long, Nullable: true),
            new("updated_at", ColumnKind.Long, Nullable: true),
        ],
        ["name"],
        []);

    /// <summary>
    /// Children on peer ledgers of this ledger's executions, as their verified attestations prove them (docs/PROJECTIONS.md,
    /// "Links to other ledgers"): not derived from the log, so no rebuild drops it; the link job keeps it.
    /// </summary>
    public static TableSpec RemoteLinks { get; } = new(
        "remote_links",
        [
            new("parent_id", ColumnKind.Text), new("ledger", ColumnKind.Text), new("execution_id", ColumnKind.Text), new("status", ColumnKind.Text),
            new("attested_at", ColumnKind.Long), new("checkpoint_size", ColumnKind.Long), new("attestation_digest", ColumnKind.Text),
        ],
        ["parent_id", "ledger", "execution_id"],
        [new("open", "ledger, execution_id", RemoteLinkOpen)]);

    /// <summary>
    /// A link whose last verified status is not an end: the link job asks the peer about these again on every tick. Both
    /// engines use the partial index only for a query whose condition is this same text, so the query repeats it.
    /// </summary>
    public const string RemoteLinkOpen = "status NOT IN ('completed', 'denied', 'halted')";

    /// <summary>
    /// Per peer ledger, the first position up to which the link job has settled the peer's listing of children of this
    /// ledger's executions (docs/PROJECTIONS.md, "Links to other ledgers"): it only grows, and the job asks for what is after it.
    /// </summary>
    public static TableSpec RemoteLinkCursors { get; } = new(
        "remote_link_cursors",
        [new("ledger", ColumnKind.Text), new("position", ColumnKind.Long)],
        ["ledger"],
        []);

    /// <summary>The engine's migrations, in order; never edit one that shipped, add the next.</summary>
    private static IReadOnlyList<(int Version, string Name, Func<ProjectionDatabase, IEnumerable<string>> Statements)> All { get; } =
    [
        (1, "positions", db => [db.CreateTable(Positions, Positions.LiveName)]),
        (2, "remote-links", db => [db.CreateTable(RemoteLinks, RemoteLinks.LiveName)]),
        (3, "remote-link-cursors", db => [db.CreateTable(RemoteLinkCursors, RemoteLinkCursors.LiveName)]),
        (4, "remote-links-open", _ => ProjectionDatabase.CreateIndexes(RemoteLinks)),
    ];

    public static async Task MigrateAsync(ProjectionDatabase db, IReadOnlyList<IProjection> projections, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await db.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        await db.LockSchemaAsync(connection, transaction, ct).ConfigureAwait(false);
        await Sql.ExecuteAsync(connection, transaction, db.CreateTable(Migrations, Migrations.LiveName).Replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", StringComparison.Ordinal), ct)
            .ConfigureAwait(false);
        var applied = new HashSet<long>();
        await using (var select = Sql.Command(connection, transaction, $"SELECT version FROM {Migrations.LiveName}"))
        await using (var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                applied.Add(reader.GetInt64(0));
            }
        }

        var known = All.Max(m => m.Version);
        if (applied.Count > 0 && applied.Max() > known)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture, $"The read models' schema is at version {applied.Max()}, newer than this build knows ({known}); upgrade the ledger."));
        }

        foreach (var (version, name, statements) in All.Where(m => !applied.Contains(m.Version)))
        {
            foreach (var statement in statements(db))
            {
                await Sql.ExecuteAsync(connection, transaction, statement, ct).ConfigureAwait(false);
            }

            await Sql.ExecuteAsync(
                connection, transaction, $"INSERT INTO {Migrations.LiveName} (version, name, applied_at) VALUES (@v, @n, @t)", ct,
                ("@v", (long)version), ("@n", name), ("@t", now.ToString("O", CultureInfo.InvariantCulture))).ConfigureAwait(false);
        }

        foreach (var projection in projections)
        {
            await EnsureProjectionAsync(db, connection, transaction, projection, ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Drops every table of a projection (live and shadow) and creates the live ones empty.</summary>
    public static async Task ResetTablesAsync(ProjectionDatabase db, DbConnection connection, DbTransaction transaction, IProjection projection, CancellationToken ct)
    {
        foreach (var table in projection.Tables)
        {
            await Sql.ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS {table.ShadowName}", ct).ConfigureAwait(false);
            await Sql.ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS {table.LiveName}", ct).ConfigureAwait(false);
            await Sql.ExecuteAsync(connection, transaction, db.CreateTable(table, table.LiveName), ct).ConfigureAwait(false);
            foreach (var index in ProjectionDatabase.CreateIndexes(table))
            {
                await Sql.ExecuteAsync(connection, transaction, index, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task EnsureProjectionAsync(ProjectionDatabase db, DbConnection connection, DbTransaction transaction, IProjection projection, CancellationToken ct)
    {
        var stored = (long?)await Sql.ScalarAsync(
            connection, transaction, $"SELECT schema_version FROM {Positions.LiveName} WHERE name = @n", ct, ("@n", projection.Name)).ConfigureAwait(false);
        if (stored == projection.SchemaVersion)
        {
            return;
        }

        if (stored > projection.SchemaVersion)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The '{projection.Name}' read model is at schema version {stored}, newer than this build knows ({projection.SchemaVersion}); upgrade the ledger."));
        }

        await ResetTablesAsync(db, connection, transaction, projection, ct).ConfigureAwait(false);
        await Sql.ExecuteAsync(connection, transaction, $"DELETE FROM {Positions.LiveName} WHERE name = @n", ct, ("@n", projection.Name)).ConfigureAwait(false);
        await Sql.ExecuteAsync(
            connection,
            transaction,
            $"INSERT INTO {Positions.LiveName} (name, schema_version, position) VALUES (@n, @v, 0)",
            ct,
            ("@n", projection.Name),
            ("@v", (long)projection.SchemaVersion)).ConfigureAwait(false);
    }
}
