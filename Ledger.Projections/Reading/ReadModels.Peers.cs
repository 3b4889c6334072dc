using Ledger.Projections.Executions;
using Ledger.Projections.Storage;

namespace Ledger.Projections.Reading;

public sealed partial class ReadModels
{
    /// <summary>Per peer ledger, the attestations this ledger verified and recorded, by origin.</summary>
    public async Task<IReadOnlyList<PeerAttestationView>> ListPeerAttestationsAsync(CancellationToken ct = default)
    {
        var table = ExecutionTables.PeerAttestations;
        await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        await using var command = Sql.Command(connection, null, $"SELECT {table.ColumnList} FROM {table.LiveName} ORDER BY ledger");
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var found = new List<PeerAttestationView>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            found.Add(new PeerAttestationView(
                reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), Micros.To(reader.GetInt64(3)), Micros.To(reader.GetInt64(4)), reader.GetString(5),
                reader.GetInt64(6)));
        }

        return found;
    }
}
