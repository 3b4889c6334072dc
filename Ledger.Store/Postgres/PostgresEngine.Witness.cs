using Ledger.Store.Witnessing;

namespace Ledger.Store.Postgres;

internal sealed partial class PostgresEngine
{
    private const string WitnessColumns = "origin, size, root, note, cosigned_at, logged_size, split_view_at";

    public override async Task<IReadOnlyList<WitnessedLog>> ReadWitnessedAsync(string? origin, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            origin is null
                ? $"SELECT {WitnessColumns} FROM witnessed_logs ORDER BY origin COLLATE \"C\""
                : $"SELECT {WitnessColumns} FROM witnessed_logs WHERE origin = $1");
        if (origin is not null)
        {
            Add(command, origin);
        }

        var rows = new List<WitnessedLog>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new WitnessedLog(
                reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return rows;
    }

    public override async Task<bool> AdvanceWitnessedAsync(
        string origin, long expectedSize, byte[]? expectedRoot, long size, byte[] root, string note, DateTimeOffset cosignedAt, CancellationToken ct)
    {
        // One statement each: under READ COMMITTED an UPDATE that waited for a concurrent one re-checks its WHERE
        // against the committed row, so of two swaps from the same state exactly one succeeds.
        await using var command = _dataSource.CreateCommand(
            expectedRoot is null
                ? "INSERT INTO witnessed_logs (origin, size, root, note, cosigned_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (origin) DO NOTHING"
                : "UPDATE witnessed_logs SET size = $2, root = $3, note = $4, cosigned_at = $5 WHERE origin = $1 AND size = $6 AND root = $7");
        Add(command, origin, size, root, note, cosignedAt.ToUniversalTime());
        if (expectedRoot is not null)
        {
            Add(command, expectedSize, expectedRoot);
        }

        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    public override async Task MarkWitnessedLoggedAsync(string origin, long size, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("UPDATE witnessed_logs SET logged_size = $2 WHERE origin = $1 AND logged_size < $2");
        Add(command, origin, size);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public override async Task MarkSplitViewAsync(string origin, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("UPDATE witnessed_logs SET split_view_at = $2 WHERE origin = $1 AND split_view_at IS NULL");
        Add(command, origin, at.ToUniversalTime());
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
