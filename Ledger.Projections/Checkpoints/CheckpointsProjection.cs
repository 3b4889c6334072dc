using Ledger.Domain.Notes;
using Ledger.Projections.Engine;
using Ledger.Projections.Storage;

namespace Ledger.Projections.Checkpoints;

/// <summary>
/// The <c>checkpoints</c> projection: the signed checkpoints the store holds, each recorded once the
/// projection's position has reached its size (so the read model never names a checkpoint beyond the
/// entries it has seen), with the names of every key that signed or cosigned it (the ledger and its witnesses).
/// </summary>
/// <remarks>Checkpoints are not log entries: new ones are also picked up while the log is idle.</remarks>
internal sealed class CheckpointsProjection : IProjection
{
    public const string ProjectionName = "checkpoints";

    public static TableSpec Checkpoints { get; } = new(
        "checkpoints",
        [
            new("size", ColumnKind.Long), new("root", ColumnKind.Bytes), new("stored_at", ColumnKind.Long),
            new("signers", ColumnKind.Text), new("signed_note", ColumnKind.Text),
        ],
        ["size"],
        []);

    public string Name => ProjectionName;

    public int SchemaVersion => 1;

    public IReadOnlyList<TableSpec> Tables => [Checkpoints];

    public bool ReadsEntries => false;

    public object? Prepare(Domain.Log.LedgerEntry entry) => null;

    public void Committed(long position, TableSet tables)
    {
    }

    public void Forget()
    {
    }

    public bool WorksWhenIdle => true;

    public async Task ApplyAsync(ProjectionWrite write, IReadOnlyList<ProjectedEntry> entries, long from, long to, CancellationToken ct) =>
        await RecordAsync(write, to, ct).ConfigureAwait(false);

    public async Task<bool> IdleAsync(ProjectionWrite write, long position, CancellationToken ct) =>
        await RecordAsync(write, position, ct).ConfigureAwait(false) > 0;

    private static async Task<int> RecordAsync(ProjectionWrite write, long position, CancellationToken ct)
    {
        var last = (long?)await Sql.ScalarAsync(write.Connection, write.Transaction, $"SELECT MAX(size) FROM {write[Checkpoints]}", ct).ConfigureAwait(false) ?? 0;
        if (position <= last)
        {
            return 0;
        }

        var found = await write.Store.ListCheckpointsAsync(last + 1, position, ct).ConfigureAwait(false);
        var rows = found.Select(c => new object?[]
        {
            c.Size, c.Root, Micros.From(c.StoredAt), Executions.Wire.List(Signers(c.SignedNote)), c.SignedNote,
        }).ToList();
        await write.InsertAsync(Checkpoints, rows, ct).ConfigureAwait(false);
        return rows.Count;
    }

    private static IReadOnlyList<string> Signers(string note) =>
        SignedNote.TryParse(note, out var parsed, out _) ? [.. parsed.Signatures.Select(s => s.Name).Distinct(StringComparer.Ordinal)] : [];
}
