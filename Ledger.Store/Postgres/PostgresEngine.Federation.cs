using System.Data;
using Ledger.Domain.Executions;
using Npgsql;

namespace Ledger.Store.Postgres;

// Following peers (DESIGN §8.2): the remote parents of open executions, and what was last proven of them.
internal sealed partial class PostgresEngine
{
    private const string FollowColumns = "origin, execution_id, verified_at, status, attestation_digest, checkpoint_size";

    public override async Task<(IReadOnlyDictionary<string, ExecutionRecord> Records, RemoteParentFollow? Follow)> ReadLineageAsync(string execution, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        // One snapshot for both reads: the record and the follow row as of the same commit.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        var records = new Dictionary<string, ExecutionRecord>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(LineageSql, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = new[] { execution } });
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                records[reader.GetString(0)] = ReadRecord(reader);
            }
        }

        RemoteParentFollow? follow;
        await using (var command = new NpgsqlCommand(
            """
            SELECT r.origin, r.execution_id, r.verified_at, r.status, r.attestation_digest, r.checkpoint_size
            FROM executions AS e JOIN remote_parents AS r ON r.origin = e.remote_origin AND r.execution_id = e.remote_parent_id
            WHERE e.execution_id = $1
            """,
            connection,
            transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = execution });
            follow = await ReadFollowAsync(command, ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return (records, follow);
    }

    /// <remarks>
    /// A loose index scan (a recursive query that seeks the next distinct parent in <c>executions_remote_open</c>, one
    /// index probe per parent): its cost follows the parents, not the open children under them. The index and the
    /// comparisons use the "C" collation, so the order is the ordinal one on any database locale and the index serves it.
    /// </remarks>
    public override async Task<IReadOnlyList<(string Origin, string Id)>> ListRemoteParentsAsync(string afterOrigin, string afterId, int limit, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("""
            WITH RECURSIVE parents (o, i) AS (
                (SELECT remote_origin COLLATE "C", remote_parent_id COLLATE "C" FROM executions
                 WHERE remote_origin IS NOT NULL AND status BETWEEN 1 AND 5
                   AND (remote_origin COLLATE "C", remote_parent_id COLLATE "C") > ($1 COLLATE "C", $2 COLLATE "C")
                 ORDER BY 1, 2
                 LIMIT 1)
                UNION ALL
                SELECT n.o, n.i FROM parents AS p CROSS JOIN LATERAL (
                    SELECT remote_origin COLLATE "C" AS o, remote_parent_id COLLATE "C" AS i FROM executions
                    WHERE remote_origin IS NOT NULL AND status BETWEEN 1 AND 5
                      AND (remote_origin COLLATE "C", remote_parent_id COLLATE "C") > (p.o, p.i)
                    ORDER BY 1, 2
                    LIMIT 1) AS n
            )
            SELECT o, i FROM parents LIMIT $3
            """);
        Add(command, afterOrigin, afterId, limit);
        var parents = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            parents.Add((reader.GetString(0), reader.GetString(1)));
        }

        return parents;
    }

    public override async Task<IReadOnlyList<string>> ListRemoteChildrenAsync(string origin, string id, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT execution_id FROM executions
            WHERE remote_origin = $1 AND remote_parent_id = $2 AND status BETWEEN 1 AND 5
            ORDER BY execution_id COLLATE "C"
            """);
        Add(command, origin, id);
        var children = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            children.Add(reader.GetString(0));
        }

        return children;
    }

    /// <summary>The query of <see cref="ListChildrenOfAsync"/>: origin, position after which to list, and the page's size.</summary>
    internal const string ChildrenOfSql = """
        SELECT execution_id, remote_parent_id, first_position FROM executions
        WHERE remote_origin = $1 AND first_position > $2
        ORDER BY first_position
        LIMIT $3
        """;

    /// <remarks>One range scan of <c>executions_remote_children</c>: its cost follows the page, not the children before the cursor.</remarks>
    public override async Task<IReadOnlyList<(string Id, string ParentId, long Position)>> ListChildrenOfAsync(string origin, long afterPosition, int limit, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(ChildrenOfSql);
        Add(command, origin, afterPosition, limit);
        var children = new List<(string, string, long)>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            children.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return children;
    }

    public override async Task KeepAttestationAsync(string digest, string text, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("INSERT INTO attestations (digest, text) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING");
        Add(command, digest, text);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public override async Task<string?> ReadAttestationAsync(string digest, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT text FROM attestations WHERE digest = $1");
        Add(command, digest);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    public override async Task<RemoteParentFollow?> ReadRemoteFollowAsync(string origin, string id, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {FollowColumns} FROM remote_parents WHERE origin = $1 AND execution_id = $2");
        Add(command, origin, id);
        return await ReadFollowAsync(command, ct).ConfigureAwait(false);
    }

    public override async Task UpsertRemoteFollowAsync(RemoteParentFollow follow, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand($"""
            INSERT INTO remote_parents ({FollowColumns}) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (origin, execution_id) DO UPDATE SET
                verified_at = excluded.verified_at, status = excluded.status,
                attestation_digest = excluded.attestation_digest, checkpoint_size = excluded.checkpoint_size
            WHERE excluded.verified_at > remote_parents.verified_at
            """);
        Add(command, follow.Parent.Ledger, follow.Parent.ExecutionId.Value, follow.VerifiedAt.UtcTicks, (int)follow.Status, follow.AttestationDigest, follow.CheckpointSize);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public override async Task<FollowedPeer?> ReadFollowedPeerAsync(string origin, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT origin, size, note, split_view_at FROM followed_peers WHERE origin = $1");
        Add(command, origin);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false)
            ? new FollowedPeer(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero))
            : null;
    }

    public override async Task KeepFollowedPeerAsync(string origin, long size, string note, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO followed_peers (origin, size, note) VALUES ($1, $2, $3)
            ON CONFLICT (origin) DO UPDATE SET size = excluded.size, note = excluded.note WHERE excluded.size > followed_peers.size
            """);
        Add(command, origin, size, note);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public override async Task MarkFollowedPeerSplitAsync(string origin, long atTicks, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("UPDATE followed_peers SET split_view_at = $2 WHERE origin = $1 AND split_view_at IS NULL");
        Add(command, origin, atTicks);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<RemoteParentFollow?> ReadFollowAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false)
            ? new RemoteParentFollow(
                new ParentRef(reader.GetString(0), ExecutionId.Parse(reader.GetString(1))), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero),
                (ExecutionStatus)reader.GetInt32(3), reader.GetString(4), reader.GetInt64(5))
            : null;
    }
}
