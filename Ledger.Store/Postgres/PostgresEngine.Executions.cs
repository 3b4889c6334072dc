using Ledger.Domain.Executions;
using Ledger.Store.Engine;
using Npgsql;

namespace Ledger.Store.Postgres;

// The execution record's queries (DESIGN §6): lineage reads, the sweep's deadlines, cascades and proofs, and
// job leadership held in PostgreSQL (session advisory locks).
internal sealed partial class PostgresEngine
{
    /// <summary>The records of the executions in $1 and of all their ancestors.</summary>
    internal const string LineageSql = """
        WITH RECURSIVE chain(execution_id) AS (
            SELECT unnest($1::text[])
            UNION
            SELECT e.parent_id FROM executions AS e JOIN chain AS c ON e.execution_id = c.execution_id WHERE e.parent_id IS NOT NULL)
        SELECT e.execution_id, e.stream_version, e.last_position, e.last_leaf_hash, e.parent_id, e.root_id, e.depth, e.state, e.first_position
        FROM executions AS e JOIN chain AS c ON e.execution_id = c.execution_id
        """;

    /// <summary>Advisory lock keys of job leadership: this prefix, then a hash of the job name.</summary>
    private const long LeadershipPrefix = 0x4C_65_64_4A_00_00_00_00; // "LedJ"

    internal static ExecutionRecord ReadRecord(NpgsqlDataReader reader) =>
        RecordColumns.Read(
            reader.GetInt64(1), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3), reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetString(5), reader.GetInt32(6), reader.GetFieldValue<byte[]>(7), reader.GetInt64(8));

    public override async Task<IReadOnlyDictionary<string, ExecutionRecord>> ReadRecordsAsync(IReadOnlyCollection<string> executions, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(LineageSql);
        Add(command, (object)executions.ToArray());
        var records = new Dictionary<string, ExecutionRecord>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            records[reader.GetString(0)] = ReadRecord(reader);
        }

        return records;
    }

    public override async Task<IReadOnlyList<ExecutionDue>> ListDueAsync(long nowTicks, long intentTtlTicks, long verificationTicks, int limit, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("""
            (SELECT execution_id, status FROM executions WHERE status BETWEEN 1 AND 4 AND declared_at < $1 LIMIT $4)
            UNION
            (SELECT execution_id, status FROM executions WHERE status = 5 AND verify_from < $2 LIMIT $4)
            UNION
            (SELECT execution_id, status FROM executions WHERE status = 5 AND expires_at < $3 LIMIT $4)
            """);
        Add(command, RecordColumns.Before(nowTicks, intentTtlTicks), RecordColumns.Before(nowTicks, verificationTicks), nowTicks, limit);
        var due = new List<ExecutionDue>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            due.Add(new ExecutionDue(ExecutionId.Parse(reader.GetString(0)), (ExecutionStatus)reader.GetInt32(1)));
        }

        return due;
    }

    public override async Task<IReadOnlyList<PendingCascade>> ListCascadesAsync(int limit, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT execution_id, position FROM cascades ORDER BY position LIMIT $1");
        Add(command, limit);
        var pending = new List<PendingCascade>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            pending.Add(new PendingCascade(ExecutionId.Parse(reader.GetString(0)), reader.GetInt64(1)));
        }

        return pending;
    }

    public override async Task<IReadOnlyList<ExecutionDescendant>> ListDescendantsAsync(string execution, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("""
            WITH RECURSIVE d(execution_id) AS (
                SELECT execution_id FROM executions WHERE parent_id = $1
                UNION
                SELECT e.execution_id FROM executions AS e JOIN d ON e.parent_id = d.execution_id)
            SELECT e.execution_id, e.parent_id, e.depth, e.status FROM executions AS e JOIN d ON e.execution_id = d.execution_id
            ORDER BY e.depth, e.execution_id
            """);
        Add(command, execution);
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
        await using var command = _dataSource.CreateCommand("DELETE FROM cascades WHERE execution_id = $1 AND position = $2");
        Add(command, execution, position);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<string>> ListProvableRootsAsync(long size, int limit, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT e.root_id FROM executions AS e
            WHERE e.root_id IN (SELECT DISTINCT root_id FROM executions WHERE status >= 6 AND NOT proven)
            GROUP BY e.root_id
            HAVING MIN(e.status) >= 6 AND MAX(CASE WHEN NOT e.proven THEN e.last_position ELSE -1 END) < $1
            ORDER BY MIN(e.last_position)
            LIMIT $2
            """);
        Add(command, size, limit);
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
        await using var command = _dataSource.CreateCommand($"SELECT {RecordColumns.Select} FROM executions WHERE root_id = $1 ORDER BY depth, execution_id");
        Add(command, root);
        var records = new List<ExecutionRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            records.Add(ReadRecord(reader));
        }

        return records;
    }

    /// <summary>
    /// A session advisory lock on a connection of its own: held until the handle is disposed, or until the
    /// connection drops (the process died, the network broke), when PostgreSQL releases it and another node
    /// takes over on its next try.
    /// </summary>
    public override async Task<IAsyncDisposable?> TryLeadAsync(string job, CancellationToken ct)
    {
        var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
            Add(command, LeadershipKey(job));
            if ((bool)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!)
            {
                return new Leadership(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>The advisory lock a node holds while it leads <paramref name="job"/> (in <c>pg_locks</c>, and for tests that stand in for a stalled leader).</summary>
    internal static long LeadershipKey(string job) => LeadershipPrefix | unchecked((uint)StableHash(job));

    /// <summary>FNV-1a over the job name: the same number in every process (string.GetHashCode is randomized).</summary>
    private static int StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return unchecked((int)hash);
    }

    private sealed class Leadership(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // A pooled connection keeps its session (and its locks) when closed: release them first.
            try
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
                await unlock.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The connection is gone, and with it the session's locks.
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
