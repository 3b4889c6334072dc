using Ledger.Domain.Executions;
using Microsoft.Data.Sqlite;

namespace Ledger.Store.Sqlite;

// Following peers (DESIGN §8.2): the remote parents of open executions, and what was last proven of them.
internal sealed partial class SqliteEngine
{
    private const string FollowColumns = "origin, execution_id, verified_at, status, attestation_digest, checkpoint_size";

    public override async Task<(IReadOnlyDictionary<string, ExecutionRecord> Records, RemoteParentFollow? Follow)> ReadLineageAsync(string execution, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        // A deferred transaction in WAL mode reads one snapshot: the record and the follow row as of the same commit.
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = Command(connection, transaction, LineageSql);
        command.Parameters.Add(new SqliteParameter { ParameterName = "$ids" });
        var records = await ReadRecordsAsync(command, [execution], ct).ConfigureAwait(false);
        await using var follow = Command(connection, transaction, """
            SELECT r.origin, r.execution_id, r.verified_at, r.status, r.attestation_digest, r.checkpoint_size
            FROM executions AS e JOIN remote_parents AS r ON r.origin = e.remote_origin AND r.execution_id = e.remote_parent_id
            WHERE e.execution_id = $id
            """);
        follow.Parameters.AddWithValue("$id", execution);
        var row = await ReadFollowAsync(follow, ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return (records, row);
    }

    /// <remarks>
    /// A loose index scan, one seek per distinct parent: the next parent within the current origin, else the first of
    /// the next origin. Its cost follows the parents, not the open children under them. SQLite's own <c>DISTINCT</c>
    /// walks every index entry (every open child) unless <c>ANALYZE</c> statistics happen to say otherwise, and a row
    /// value comparison <c>(origin, id) &gt; (…)</c> seeks on the origin alone, so both grow with the children.
    /// </remarks>
    public override async Task<IReadOnlyList<(string Origin, string Id)>> ListRemoteParentsAsync(string afterOrigin, string afterId, int limit, CancellationToken ct)
    {
        const string Open = "SELECT remote_origin, remote_parent_id FROM executions WHERE remote_origin IS NOT NULL AND status BETWEEN 1 AND 5";
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        // One snapshot for the whole page.
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var sameOrigin = Command(connection, transaction, Open + " AND remote_origin = $o AND remote_parent_id > $i ORDER BY remote_parent_id LIMIT 1");
        var sameO = sameOrigin.Parameters.Add(new SqliteParameter { ParameterName = "$o" });
        var sameI = sameOrigin.Parameters.Add(new SqliteParameter { ParameterName = "$i" });
        await using var nextOrigin = Command(connection, transaction, Open + " AND remote_origin > $o ORDER BY remote_origin, remote_parent_id LIMIT 1");
        var nextO = nextOrigin.Parameters.Add(new SqliteParameter { ParameterName = "$o" });
        var parents = new List<(string, string)>();
        var (origin, id) = (afterOrigin, afterId);
        while (parents.Count < limit)
        {
            sameO.Value = origin;
            sameI.Value = id;
            var next = await FirstParentAsync(sameOrigin, ct).ConfigureAwait(false);
            if (next is null)
            {
                nextO.Value = origin;
                next = await FirstParentAsync(nextOrigin, ct).ConfigureAwait(false);
            }

            if (next is not { } found)
            {
                break;
            }

            parents.Add(found);
            (origin, id) = found;
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return parents;
    }

    private static async Task<(string, string)?> FirstParentAsync(SqliteCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    public override async Task<IReadOnlyList<string>> ListRemoteChildrenAsync(string origin, string id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, """
            SELECT execution_id FROM executions
            WHERE remote_origin = $o AND remote_parent_id = $i AND status BETWEEN 1 AND 5
            ORDER BY execution_id
            """);
        command.Parameters.AddWithValue("$o", origin);
        command.Parameters.AddWithValue("$i", id);
        var children = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            children.Add(reader.GetString(0));
        }

        return children;
    }

    /// <remarks>One range scan of <c>executions_remote_children</c>: its cost follows the page, not the children before the cursor.</remarks>
    public override async Task<IReadOnlyList<(string Id, string ParentId, long Position)>> ListChildrenOfAsync(string origin, long afterPosition, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, """
            SELECT execution_id, remote_parent_id, first_position FROM executions INDEXED BY executions_remote_children
            WHERE remote_origin = $o AND first_position > $a
            ORDER BY first_position
            LIMIT $n
            """);
        command.Parameters.AddWithValue("$o", origin);
        command.Parameters.AddWithValue("$a", afterPosition);
        command.Parameters.AddWithValue("$n", limit);
        var children = new List<(string, string, long)>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            children.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return children;
    }

    public override async Task<RemoteParentFollow?> ReadRemoteFollowAsync(string origin, string id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {FollowColumns} FROM remote_parents WHERE origin = $o AND execution_id = $i");
        command.Parameters.AddWithValue("$o", origin);
        command.Parameters.AddWithValue("$i", id);
        return await ReadFollowAsync(command, ct).ConfigureAwait(false);
    }

    public override async Task UpsertRemoteFollowAsync(RemoteParentFollow follow, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, $"""
            INSERT INTO remote_parents ({FollowColumns}) VALUES ($o, $i, $t, $s, $d, $c)
            ON CONFLICT (origin, execution_id) DO UPDATE SET
                verified_at = excluded.verified_at, status = excluded.status,
                attestation_digest = excluded.attestation_digest, checkpoint_size = excluded.checkpoint_size
            WHERE excluded.verified_at > remote_parents.verified_at
            """);
        command.Parameters.AddWithValue("$o", follow.Parent.Ledger);
        command.Parameters.AddWithValue("$i", follow.Parent.ExecutionId.Value);
        command.Parameters.AddWithValue("$t", follow.VerifiedAt.UtcTicks);
        command.Parameters.AddWithValue("$s", (int)follow.Status);
        command.Parameters.AddWithValue("$d", follow.AttestationDigest);
        command.Parameters.AddWithValue("$c", follow.CheckpointSize);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public override async Task<FollowedPeer?> ReadFollowedPeerAsync(string origin, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT origin, size, note, split_view_at FROM followed_peers WHERE origin = $o");
        command.Parameters.AddWithValue("$o", origin);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false)
            ? new FollowedPeer(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero))
            : null;
    }

    public override async Task KeepFollowedPeerAsync(string origin, long size, string note, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, """
            INSERT INTO followed_peers (origin, size, note) VALUES ($o, $s, $n)
            ON CONFLICT (origin) DO UPDATE SET size = excluded.size, note = excluded.note WHERE excluded.size > followed_peers.size
            """);
        command.Parameters.AddWithValue("$o", origin);
        command.Parameters.AddWithValue("$s", size);
        command.Parameters.AddWithValue("$n", note);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public override async Task MarkFollowedPeerSplitAsync(string origin, long atTicks, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE followed_peers SET split_view_at = $t WHERE origin = $o AND split_view_at IS NULL");
        command.Parameters.AddWithValue("$o", origin);
        command.Parameters.AddWithValue("$t", atTicks);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public override async Task KeepAttestationAsync(string digest, string text, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, "INSERT INTO attestations (digest, text) VALUES ($d, $t) ON CONFLICT (digest) DO NOTHING");
        command.Parameters.AddWithValue("$d", digest);
        command.Parameters.AddWithValue("$t", text);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public override async Task<string?> ReadAttestationAsync(string digest, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT text FROM attestations WHERE digest = $d");
        command.Parameters.AddWithValue("$d", digest);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    private static async Task<RemoteParentFollow?> ReadFollowAsync(SqliteCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false)
            ? new RemoteParentFollow(
                new ParentRef(reader.GetString(0), ExecutionId.Parse(reader.GetString(1))), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero),
                (ExecutionStatus)reader.GetInt32(3), reader.GetString(4), reader.GetInt64(5))
            : null;
    }
}
