using System.Data.Common;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Ledger.Projections.Storage;
using Ledger.Store;

namespace Ledger.Projections.Reading;

public sealed partial class ReadModels
{
    /// <summary>
    /// Keeps what the link job verified of children on peer ledgers (<paramref name="links"/>: the parent here, the link
    /// there): a link is replaced only by a later attestation of the same child. With <paramref name="cursor"/>, moves that
    /// peer's listing cursor forward to it in the same transaction (never back), so that the links a page proved and the
    /// cursor past that page are kept together or not at all.
    /// </summary>
    public async Task RecordRemoteLinksAsync(
        IReadOnlyList<(string ParentId, LineageLink Link)> links, (string Ledger, long Position)? cursor = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (links.Count == 0 && cursor is null)
        {
            return;
        }

        var table = ProjectionSchema.RemoteLinks;
        await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await _db.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        if (cursor is { } moved)
        {
            var cursors = ProjectionSchema.RemoteLinkCursors;
            await Sql.ExecuteAsync(
                connection,
                transaction,
                $"INSERT INTO {cursors.LiveName} ({cursors.ColumnList}) VALUES (@l, @p) "
                + $"ON CONFLICT (ledger) DO UPDATE SET position = excluded.position WHERE excluded.position > {cursors.LiveName}.position",
                ct,
                ("@l", moved.Ledger),
                ("@p", moved.Position)).ConfigureAwait(false);
        }

        foreach (var (parentId, link) in links)
        {
            ArgumentNullException.ThrowIfNull(link.Status, nameof(links));
            await Sql.ExecuteAsync(
                connection,
                transaction,
                $"INSERT INTO {table.LiveName} ({table.ColumnList}) VALUES (@p, @l, @e, @s, @t, @c, @d) "
                + "ON CONFLICT (parent_id, ledger, execution_id) DO UPDATE SET status = excluded.status, attested_at = excluded.attested_at, "
                + $"checkpoint_size = excluded.checkpoint_size, attestation_digest = excluded.attestation_digest WHERE excluded.attested_at > {table.LiveName}.attested_at",
                ct,
                ("@p", parentId),
                ("@l", link.Ledger),
                ("@e", link.ExecutionId),
                ("@s", link.Status),
                ("@t", Micros.From(link.AttestedAt!.Value)),
                ("@c", link.CheckpointSize!.Value),
                ("@d", link.AttestationDigest)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The first position up to which the link job has settled <paramref name="ledger"/>'s listing; -1 before its first page.</summary>
    public async Task<long> ReadRemoteLinkCursorAsync(string ledger, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        var position = await Sql.ScalarAsync(
            connection, null, $"SELECT position FROM {ProjectionSchema.RemoteLinkCursors.LiveName} WHERE ledger = @l", ct, ("@l", ledger)).ConfigureAwait(false);
        return position is null ? -1 : Convert.ToInt64(position, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The query of <see cref="ListOpenRemoteLinksAsync"/>: served by the partial index of open links, whatever the number of ended ones.</summary>
    internal static string OpenRemoteLinksSql { get; } =
        $"SELECT DISTINCT execution_id FROM {ProjectionSchema.RemoteLinks.LiveName} WHERE ledger = @l AND {ProjectionSchema.RemoteLinkOpen} ORDER BY execution_id";

    /// <summary>The children on <paramref name="ledger"/> whose last verified status is not an end (the link job asks about them again).</summary>
    public async Task<IReadOnlyList<string>> ListOpenRemoteLinksAsync(string ledger, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        await using var command = Sql.Command(
            connection,
            null,
            OpenRemoteLinksSql,
            ("@l", ledger));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var found = new List<string>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    /// <summary>The links to children on other ledgers of <paramref name="parentIds"/>, per parent, ordered by ledger and execution.</summary>
    private static async Task<ILookup<string, LineageLink>> ReadRemoteLinksAsync(
        ProjectionDatabase db, DbConnection connection, DbTransaction transaction, IReadOnlyCollection<string> parentIds, CancellationToken ct)
    {
        var table = ProjectionSchema.RemoteLinks;
        await using var command = Sql.Command(
            connection,
            transaction,
            $"SELECT {table.ColumnList} FROM {table.LiveName} WHERE {db.InSet("parent_id", "@parents")} ORDER BY ledger, execution_id",
            ("@parents", db.SetValue(parentIds)));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var found = new List<(string Parent, LineageLink Link)>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            found.Add((reader.GetString(0), new LineageLink(
                reader.GetString(1), reader.GetString(2), reader.GetString(3), Micros.To(reader.GetInt64(4)), reader.GetInt64(5), reader.GetString(6))));
        }

        return found.ToLookup(f => f.Parent, f => f.Link, StringComparer.Ordinal);
    }

    /// <summary>
    /// The root's parent on another ledger as a link: its latest proven state is the last <c>federation.parent-attested.v1</c>
    /// in the root's stream, read from the log (newest first); without one, the link carries no status.
    /// </summary>
    private async Task<LineageLink> RemoteParentLinkAsync(ExecutionId root, ParentRef parent, CancellationToken ct)
    {
        const int Page = 100;
        var type = WireNames.Of<ParentAttested>();
        var from = -1L;
        while (true)
        {
            var entries = await _store.ReadStreamAsync(root.StreamName, from, ReadDirection.Backward, Page, ct).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                if (entry.Type == type && ExecutionEventCodec.TryParse(entry.Type, entry.Data, out var parsed, out _) && parsed is ParentAttested attested
                    && attested.Parent == parent)
                {
                    return new LineageLink(parent.Ledger, parent.ExecutionId.Value, attested.Status.ToWireName(), attested.AttestedAt, attested.CheckpointSize, attested.AttestationDigest);
                }
            }

            if (entries.Count < Page || entries[^1].StreamVersion <= 1)
            {
                return new LineageLink(parent.Ledger, parent.ExecutionId.Value, null, null, null, null);
            }

            from = entries[^1].StreamVersion - 1;
        }
    }
}
