using System.Data.Common;
using System.Text;
using Ledger.Projections.Checkpoints;
using Ledger.Projections.Executions;
using Ledger.Projections.Storage;
using Ledger.Store;

namespace Ledger.Projections.Reading;

/// <summary>
/// Queries over the read models. Each query reads one consistent snapshot (a read transaction) and says
/// which projection position answered it.
/// </summary>
/// <remarks>Thread-safe: every query opens its own connection. Answers lag the log by the projection's lag.</remarks>
public sealed partial class ReadModels
{
    /// <summary>The largest page of <see cref="ListExecutionsAsync"/>.</summary>
    public const int MaxPageSize = 500;

    private readonly ProjectionDatabase _db;
    private readonly IEventStore _store;

    internal ReadModels(ProjectionDatabase db, IEventStore store)
    {
        _db = db;
        _store = store;
    }

    private static string ExecutionsTable => ExecutionTables.Executions.LiveName;

    private static string SelectExecutions => $"SELECT {string.Join(", ", ExecutionTables.Executions.Columns.Select(c => "e." + c.Name))} FROM {ExecutionsTable} e";

    /// <summary>One page of executions matching the query, newest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The limit is outside 1 to <see cref="MaxPageSize"/>.</exception>
    public async Task<ExecutionPage> ListExecutionsAsync(ExecutionQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxPageSize, nameof(query));
        var where = new StringBuilder(" WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        void Filter(string sql, string name, object? value)
        {
            if (value is not null)
            {
                where.Append(" AND ").Append(sql);
                parameters.Add((name, value));
            }
        }

        Filter($"EXISTS (SELECT 1 FROM {ExecutionTables.Domains.LiveName} d WHERE d.domain = @domain AND d.execution_id = e.execution_id)", "@domain", query.Domain);
        Filter("e.cloud = @cloud", "@cloud", query.Cloud);
        Filter("e.status = @status", "@status", query.Status);
        Filter("e.phase = @phase", "@phase", query.Phase);
        Filter("e.reason = @reason", "@reason", query.Reason);
        Filter("e.root_id = @root", "@root", query.RootId);
        Filter("e.parent_id = @parent", "@parent", query.ParentId);
        // An ended execution's last entry other than a proof is the one that ended it.
        Filter(
            $"e.status IN ('completed', 'denied', 'halted') AND EXISTS (SELECT 1 FROM {ExecutionTables.Events.LiveName} v WHERE v.position = e.last_position AND v.recorded_at >= @ended)",
            "@ended",
            Micros.From(query.EndedSince));
        Filter("e.created_at >= @since", "@since", Micros.From(query.Since));
        Filter("e.created_at < @until", "@until", Micros.From(query.Until));
        Filter("e.first_position < @before", "@before", query.Before);
        parameters.Add(("@limit", (long)query.Limit + 1));

        await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await _db.BeginReadAsync(connection, ct).ConfigureAwait(false);
        var position = await PositionAsync(connection, transaction, ExecutionsProjection.ProjectionName, ct).ConfigureAwait(false);
        var rows = await ReadRowsAsync(
            connection, transaction, SelectExecutions + where + " ORDER BY e.first_position DESC LIMIT @limit", [.. parameters], ct).ConfigureAwait(false);
        var items = rows.Take(query.Limit).Select(ExecutionViews.Summary).ToList();
        return new ExecutionPage(items, rows.Count > query.Limit ? items[^1].FirstPosition : null, position);
    }

    /// <summary>One execution with its entries, or null when the read model does not know it.</summary>
    public async Task<ExecutionDetail?> GetExecutionAsync(string executionId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await _db.BeginReadAsync(connection, ct).ConfigureAwait(false);
        var rows = await ReadRowsAsync(connection, transaction, SelectExecutions + " WHERE e.execution_id = @id", [("@id", executionId)], ct).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        var events = new List<ExecutionEventView>();
        await using var command = Sql.Command(
            connection,
            transaction,
            $"SELECT {ExecutionViews.EventColumns} FROM {ExecutionTables.Events.LiveName} WHERE root_id = @root AND execution_id = @id ORDER BY position",
            ("@root", rows[0].RootId),
            ("@id", executionId));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            events.Add(ExecutionViews.Event(reader).Event);
        }

        return ExecutionViews.Detail(rows[0], events);
    }

    /// <summary>The latest checkpoints the read model recorded, largest first.</summary>
    public async Task<IReadOnlyList<CheckpointView>> ListCheckpointsAsync(int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        await using var command = Sql.Command(
            connection,
            null,
            $"SELECT size, root, stored_at, signers, signed_note FROM {CheckpointsProjection.Checkpoints.LiveName} ORDER BY size DESC LIMIT @n",
            ("@n", (long)limit));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var found = new List<CheckpointView>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            found.Add(new CheckpointView(
                reader.GetInt64(0), Convert.ToBase64String(Sql.Bytes(reader, 1)), Micros.To(reader.GetInt64(2)), Wire.List(reader.GetString(3)), reader.GetString(4)));
        }

        return found;
    }

    /// <summary>Every emitter the read model knows, by name.</summary>
    public async Task<IReadOnlyList<EmitterView>> ListEmittersAsync(CancellationToken ct = default)
    {
        var table = Emitters.EmittersProjection.Emitters;
        await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        await using var command = Sql.Command(connection, null, $"SELECT {table.ColumnList} FROM {table.LiveName} ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var found = new List<EmitterView>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            found.Add(new EmitterView(
                reader.GetString(0),
                reader.GetInt64(1) != 0,
                reader.GetInt64(2) != 0,
                Wire.List(reader.GetString(3)),
                Sql.NullableText(reader, 4),
                Sql.NullableText(reader, 5),
                reader.GetInt64(6) != 0,
                Micros.To(Sql.NullableLong(reader, 7)),
                Micros.To(Sql.NullableLong(reader, 9)),
                Sql.NullableText(reader, 10),
                reader.GetInt64(11),
                Sql.NullableLong(reader, 12),
                Sql.NullableLong(reader, 13),
                Micros.To(Sql.NullableLong(reader, 14))));
        }

        return found;
    }

    private static async Task<long> PositionAsync(DbConnection connection, DbTransaction transaction, string projection, CancellationToken ct) =>
        (long?)await Sql.ScalarAsync(
            connection, transaction, $"SELECT position FROM {ProjectionSchema.Positions.LiveName} WHERE name = @n", ct, ("@n", projection)).ConfigureAwait(false)
        ?? 0;

    private static async Task<List<ExecutionRow>> ReadRowsAsync(
        DbConnection connection, DbTransaction transaction, string sql, (string, object?)[] parameters, CancellationToken ct)
    {
        await using var command = Sql.Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<ExecutionRow>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(ExecutionRow.Read(reader));
        }

        return rows;
    }

}
