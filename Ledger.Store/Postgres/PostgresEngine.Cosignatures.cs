using Ledger.Store.Witnessing;

namespace Ledger.Store.Postgres;

internal sealed partial class PostgresEngine
{
    public override async Task<bool> InsertCosignatureAsync(long size, string witness, string signatureLine, DateTimeOffset storedAt, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            "INSERT INTO cosignatures (size, witness, signature_line, stored_at) VALUES ($1, $2, $3, $4) ON CONFLICT (size, witness) DO NOTHING");
        Add(command, size, witness, signatureLine, storedAt.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    public override async Task<IReadOnlyList<StoredCosignature>> ReadCosignaturesAsync(long fromSize, long toSize, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT size, witness, signature_line, stored_at FROM cosignatures WHERE size BETWEEN $1 AND $2 ORDER BY size, witness COLLATE \"C\"");
        Add(command, fromSize, toSize);
        var rows = new List<StoredCosignature>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new StoredCosignature(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return rows;
    }

    public override async Task<IReadOnlyDictionary<string, long>> ReadCosignedSizesAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT witness, max(size) FROM cosignatures GROUP BY witness");
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            sizes[reader.GetString(0)] = reader.GetInt64(1);
        }

        return sizes;
    }
}
