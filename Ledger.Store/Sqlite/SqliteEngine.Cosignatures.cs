using Ledger.Store.Witnessing;

namespace Ledger.Store.Sqlite;

internal sealed partial class SqliteEngine
{
    public override async Task<bool> InsertCosignatureAsync(long size, string witness, string signatureLine, DateTimeOffset storedAt, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(
            connection,
            null,
            "INSERT INTO cosignatures (size, witness, signature_line, stored_at) VALUES ($s, $w, $l, $t) ON CONFLICT (size, witness) DO NOTHING");
        command.Parameters.AddWithValue("$s", size);
        command.Parameters.AddWithValue("$w", witness);
        command.Parameters.AddWithValue("$l", signatureLine);
        command.Parameters.AddWithValue("$t", SqliteText.FromTime(storedAt));
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    public override async Task<IReadOnlyList<StoredCosignature>> ReadCosignaturesAsync(long fromSize, long toSize, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(
            connection,
            null,
            "SELECT size, witness, signature_line, stored_at FROM cosignatures WHERE size BETWEEN $f AND $t ORDER BY size, witness");
        command.Parameters.AddWithValue("$f", fromSize);
        command.Parameters.AddWithValue("$t", toSize);
        var rows = new List<StoredCosignature>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new StoredCosignature(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), SqliteText.ToTime(reader.GetString(3))));
        }

        return rows;
    }

    public override async Task<IReadOnlyDictionary<string, long>> ReadCosignedSizesAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT witness, max(size) FROM cosignatures GROUP BY witness");
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            sizes[reader.GetString(0)] = reader.GetInt64(1);
        }

        return sizes;
    }
}
