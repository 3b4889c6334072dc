using Ledger.Store.Witnessing;
using Microsoft.Data.Sqlite;

namespace Ledger.Store.Sqlite;

internal sealed partial class SqliteEngine
{
    private const string WitnessColumns = "origin, size, root, note, cosigned_at, logged_size, split_view_at";

    public override async Task<IReadOnlyList<WitnessedLog>> ReadWitnessedAsync(string? origin, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(
            connection,
            null,
            origin is null
                ? $"SELECT {WitnessColumns} FROM witnessed_logs ORDER BY origin"
                : $"SELECT {WitnessColumns} FROM witnessed_logs WHERE origin = $o");
        if (origin is not null)
        {
            command.Parameters.AddWithValue("$o", origin);
        }

        var rows = new List<WitnessedLog>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new WitnessedLog(
                reader.GetString(0), reader.GetInt64(1), (byte[])reader[2], reader.GetString(3), SqliteText.ToTime(reader.GetString(4)),
                reader.GetInt64(5), reader.IsDBNull(6) ? null : SqliteText.ToTime(reader.GetString(6))));
        }

        return rows;
    }

    public override async Task<bool> AdvanceWitnessedAsync(
        string origin, long expectedSize, byte[]? expectedRoot, long size, byte[] root, string note, DateTimeOffset cosignedAt, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(
            connection,
            null,
            expectedRoot is null
                ? "INSERT INTO witnessed_logs (origin, size, root, note, cosigned_at) VALUES ($o, $s, $r, $n, $t) ON CONFLICT (origin) DO NOTHING"
                : "UPDATE witnessed_logs SET size = $s, root = $r, note = $n, cosigned_at = $t WHERE origin = $o AND size = $es AND root = $er");
        command.Parameters.AddWithValue("$o", origin);
        command.Parameters.AddWithValue("$s", size);
        command.Parameters.Add("$r", SqliteType.Blob).Value = root;
        command.Parameters.AddWithValue("$n", note);
        command.Parameters.AddWithValue("$t", SqliteText.FromTime(cosignedAt));
        if (expectedRoot is not null)
        {
            command.Parameters.AddWithValue("$es", expectedSize);
            command.Parameters.Add("$er", SqliteType.Blob).Value = expectedRoot;
        }

        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    public override async Task MarkWitnessedLoggedAsync(string origin, long size, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE witnessed_logs SET logged_size = $s WHERE origin = $o AND logged_size < $s");
        command.Parameters.AddWithValue("$o", origin);
        command.Parameters.AddWithValue("$s", size);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public override async Task MarkSplitViewAsync(string origin, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE witnessed_logs SET split_view_at = $t WHERE origin = $o AND split_view_at IS NULL");
        command.Parameters.AddWithValue("$o", origin);
        command.Parameters.AddWithValue("$t", SqliteText.FromTime(at));
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
