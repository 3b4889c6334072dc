using System.Text.Json;
using Ledger.Store.Engine;
using Microsoft.Data.Sqlite;

namespace Ledger.Store.Sqlite;

// The execution record's queries (DESIGN §6): lineage reads, the sweep's deadlines, cascades and proofs.
internal sealed partial class SqliteEngine
{
    /// <summary>The records of the executions in <c>$ids</c> (a JSON array) and of all their ancestors.</summary>
    internal const string LineageSql = """
        WITH RECURSIVE chain(execution_id) AS (
            SELECT value FROM json_each($ids)
            UNION
            SELECT e.parent_id FROM executions AS e JOIN chain AS c ON e.execution_id = c.execution_id WHERE e.parent_id IS NOT NULL)
        SELECT e.execution_id, e.stream_version, e.last_position, e.last_leaf_hash, e.parent_id, e.root_id, e.depth, e.state, e.first_position
        FROM executions AS e JOIN chain AS c ON e.execution_id = c.execution_id
        """;

    internal static async Task<Dictionary<string, ExecutionRecord>> ReadRecordsAsync(SqliteCommand command, IReadOnlyCollection<string> executions, CancellationToken ct)
    {
        command.Parameters["$ids"].Value = JsonSerializer.Serialize(executions);
        var records = new Dictionary<string, ExecutionRecord>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            records[reader.GetString(0)] = ReadRecord(reader);
        }

        return records;
    }

    public override async Task<IReadOnlyDictionary<string, ExecutionRecord>> ReadRecordsAsync(IReadOnlyCollection<string> executions, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, LineageSql);
        command.Parameters.Add(new SqliteParameter { ParameterName = "$ids" });
        return await ReadRecordsAsync(command, executions, ct).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<ExecutionDue>> ListDueAsync(long nowTicks, long intentTtlTicks, long verificationTicks, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, """
            SELECT execution_id, status FROM (
                SELECT execution_id, status FROM executions WHERE status BETWEEN 1 AND 4 AND declared_at < $intent LIMIT $n)
            UNION
            SELECT execution_id, status FROM (
                SELECT execution_id, status FROM executions WHERE status = 5 AND verify_from < $verify LIMIT $n)
            UNION
            SELECT execution_id, status FROM (
                SELECT execution_id, status FROM executions WHERE status = 5 AND expires_at < $now LIMIT $n)
            """);
        command.Parameters.AddWithValue("$intent", RecordColumns.Before(nowTicks, intentTtlTicks));
        command.Parameters.AddWithValue("$verify", RecordColumns.Before(nowTicks, verificationTicks));
        command.Parameters.AddWithValue("$now", nowTicks);
        command.Parameters.AddWithValue("$n", limit);
        var due = new List<ExecutionDue>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            due.Add(new ExecutionDue(Domain.Executions.ExecutionId.Parse(reader.GetString(0)), (Domain.Executions.ExecutionStatus)reader.GetInt32(1)));
        }

        return due;
    }

    public override async Task<IReadOnlyList<PendingCascade>> ListCascadesAsync(int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT execution_id, position FROM cascades ORDER BY position LIMIT $n");
        command.Parameters.AddWithValue("$n", limit);
        var pending = new List<PendingCascade>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            pending.Add(new PendingCascade(Domain.Executions.ExecutionId.Parse(reader.GetString(0)), reader.GetInt64(1)));
        }

        return pending;
    }

    public override async Task<IReadOnlyList<ExecutionDescendant>> ListDescendantsAsync(string execution, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, """
            WITH RECURSIVE d(execution_id) AS (
                SELECT execution_id FROM executions WHERE parent_id = $id
                UNION
                SELECT e.execution_id FROM executions AS e JOIN d ON e.parent_id = d.execution_id)
            SELECT e.execution_id, e.parent_id, e.depth, e.status FROM executions AS e JOIN d ON e.execution_id = d.execution_id
            ORDER BY e.depth, e.execution_id
            """);
        command.Parameters.AddWithValue("$id", execution);
        var rows = new List<ExecutionDescendant>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new ExecutionDescendant(
                Domain.Executions.ExecutionId.Parse(reader.GetString(0)), Domain.Executions.ExecutionId.Parse(reader.GetString(1)),
                reader.GetInt32(2), (Domain.Executions.ExecutionStatus)reader.GetInt32(3)));
        }

        return rows;
    }

    public override async Task DeleteCascadeAsync(string execution, long position, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, "DELETE FROM cascades WHERE execution_id = $id AND position = $p");
        command.Parameters.AddWithValue("$id", execution);
        command.Parameters.AddWithValue("$p", position);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<string>> ListProvableRootsAsync(long size, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, """
            SELECT e.root_id FROM executions AS e
            WHERE e.root_id IN (SELECT DISTINCT root_id FROM executions WHERE status >= 6 AND proven = 0)
            GROUP BY e.root_id
            HAVING MIN(e.status) >= 6 AND MAX(CASE WHEN e.proven = 0 THEN e.last_position ELSE -1 END) < $size
            ORDER BY MIN(e.last_position)
            LIMIT $n
            """);
        command.Parameters.AddWithValue("$size", size);
        command.Parameters.AddWithValue("$n", limit);
        var roots = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            roots.Add(reader.GetString(0));
        }

        return roots;
    }

    public override async Task<IReadOnlyList<ExecutionRecord>> ListTreeAsync(string root, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {RecordColumns.Select} FROM executions WHERE root_id = $r ORDER BY depth, execution_id");
        command.Parameters.AddWithValue("$r", root);
        var records = new List<ExecutionRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            records.Add(ReadRecord(reader));
        }

        return records;
    }

    /// <summary>SQLite has one node: leadership is this process's, one holder per job at a time.</summary>
    public override Task<IAsyncDisposable?> TryLeadAsync(string job, CancellationToken ct) =>
        Task.FromResult<IAsyncDisposable?>(LocalLeadership.TryTake(_connectionString + "|" + job));

    private static ExecutionRecord ReadRecord(SqliteDataReader reader) =>
        RecordColumns.Read(
            reader.GetInt64(1), reader.GetInt64(2), (byte[])reader[3], reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetString(5), reader.GetInt32(6), (byte[])reader[7], reader.GetInt64(8));
}
