using System.Data.Common;
using Ledger.Domain.Crypto;
using Ledger.Domain.Emitters;
using Ledger.Projections.Engine;
using Ledger.Projections.Storage;

namespace Ledger.Projections.Emitters;

/// <summary>
/// The <c>emitters</c> projection: the registry (<c>$emitters</c>: domains, key, revocation) and, for every
/// emitter name that appended anything (the ledger's own <c>ledger</c> included), how many entries it
/// appended and where.
/// </summary>
internal sealed class EmittersProjection : IProjection
{
    public const string ProjectionName = "emitters";

    private const ColumnKind L = ColumnKind.Long;
    private const ColumnKind T = ColumnKind.Text;

    public static TableSpec Emitters { get; } = new(
        "emitters",
        [
            new("name", T), new("registered", L), new("revoked", L), new("domains", T), new("public_key", T, true), new("key_id", T, true),
            new("signatures_required", L), new("registered_at", L, true), new("registration_position", L, true),
            new("revoked_at", L, true), new("revoked_reason", T, true),
            new("event_count", L), new("first_position", L, true), new("last_position", L, true), new("last_recorded_at", L, true),
        ],
        ["name"],
        []);

    public string Name => ProjectionName;

    public int SchemaVersion => 1;

    public IReadOnlyList<TableSpec> Tables => [Emitters];

    public bool ReadsEntries => true;

    public object? Prepare(Domain.Log.LedgerEntry entry) => null;

    public void Committed(long position, TableSet tables)
    {
    }

    public void Forget()
    {
    }

    public bool WorksWhenIdle => false;

    public Task<bool> IdleAsync(ProjectionWrite write, long position, CancellationToken ct) => Task.FromResult(false);

    public async Task ApplyAsync(ProjectionWrite write, IReadOnlyList<ProjectedEntry> entries, long from, long to, CancellationToken ct)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, _, entry, _) in entries)
        {
            names.Add(entry.Emitter);
            if (entry.Stream == EmitterRegistry.StreamName && EmitterEventCodec.TryParse(entry.Type, entry.Data, out var e, out _))
            {
                names.Add(e.Name);
            }
        }

        var rows = await LoadAsync(write, names, ct).ConfigureAwait(false);
        var existing = rows.Keys.ToList();
        foreach (var (position, _, entry, _) in entries)
        {
            var author = Row(rows, entry.Emitter);
            author[11] = (long)author[11]! + 1;
            author[12] ??= position;
            author[13] = position;
            author[14] = Micros.From(entry.RecordedAt);
            if (entry.Stream != EmitterRegistry.StreamName || !EmitterEventCodec.TryParse(entry.Type, entry.Data, out var e, out _))
            {
                continue;
            }

            var subject = Row(rows, e.Name);
            switch (e)
            {
                case EmitterRegistered registered:
                    subject[1] = 1L;
                    subject[3] = Executions.Wire.List(registered.Domains);
                    subject[4] = registered.PublicKey;
                    subject[5] = registered.PublicKey is not null && VerificationKey.TryParse(registered.PublicKey, out var key, out _) ? key.KeyId : null;
                    subject[6] = registered.SignaturesRequired ? 1L : 0L;
                    subject[7] = Micros.From(entry.RecordedAt);
                    subject[8] = position;
                    break;
                case EmitterRevoked revoked:
                    subject[2] = 1L;
                    subject[9] = Micros.From(entry.RecordedAt);
                    subject[10] = revoked.Reason;
                    break;
            }
        }

        await write.DeleteAsync(Emitters, "name", existing, ct).ConfigureAwait(false);
        await write.InsertAsync(Emitters, [.. rows.Values], ct).ConfigureAwait(false);
    }

    private static object?[] Row(Dictionary<string, object?[]> rows, string name)
    {
        if (!rows.TryGetValue(name, out var row))
        {
            rows[name] = row = [name, 0L, 0L, "[]", null, null, 0L, null, null, null, null, 0L, null, null, null];
        }

        return row;
    }

    private static async Task<Dictionary<string, object?[]>> LoadAsync(ProjectionWrite write, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        var rows = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        await using var command = write.Command(
            $"SELECT {Emitters.ColumnList} FROM {write[Emitters]} WHERE {write.Database.InSet("name", "@names")}",
            ("@names", write.Database.SetValue(names)));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows[reader.GetString(0)] = Read(reader);
        }

        return rows;
    }

    private static object?[] Read(DbDataReader reader)
    {
        var row = new object?[Emitters.Columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = reader.IsDBNull(i) ? null : Emitters.Columns[i].Kind == ColumnKind.Long ? reader.GetInt64(i) : reader.GetString(i);
        }

        return row;
    }
}
