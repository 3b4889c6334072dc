using System.Data.Common;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Ledger.Domain.Notes;
using Ledger.Projections.Executions;
using Ledger.Projections.Storage;

namespace Ledger.Projections.Reading;

public sealed partial class ReadModels
{
    /// <summary>
    /// The lineage tree that holds <paramref name="executionId"/> (from its root), each node with its entries;
    /// with <paramref name="proofs"/>, each entry covered by the latest signed checkpoint carries its inclusion
    /// proof against it. Null when the read model does not know the execution.
    /// </summary>
    public async Task<LineageTree?> GetLineageAsync(string executionId, bool proofs, CancellationToken ct = default) =>
        await GetLineageAsync(executionId, proofs, withEvents: true, ct).ConfigureAwait(false);

    /// <summary>
    /// The lineage tree that holds <paramref name="executionId"/>; without <paramref name="withEvents"/> its nodes carry
    /// no entries and the tree no digest (the shape alone, as the UI draws it: one query instead of reading every entry).
    /// </summary>
    public async Task<LineageTree?> GetLineageAsync(string executionId, bool proofs, bool withEvents, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await _db.BeginReadAsync(connection, ct).ConfigureAwait(false);
        var rootId = (string?)await Sql.ScalarAsync(
            connection, transaction, $"SELECT root_id FROM {ExecutionsTable} WHERE execution_id = @id", ct, ("@id", executionId)).ConfigureAwait(false);
        if (rootId is null)
        {
            return null;
        }

        var position = await PositionAsync(connection, transaction, ExecutionsProjection.ProjectionName, ct).ConfigureAwait(false);
        var rows = await ReadRowsAsync(
            connection, transaction, SelectExecutions + " WHERE e.root_id = @root ORDER BY e.first_position", [("@root", rootId)], ct).ConfigureAwait(false);
        var events = rows.ToDictionary(r => r.Id, _ => new List<(ExecutionEventView View, byte[] LeafHash)>(), StringComparer.Ordinal);
        if (withEvents)
        {
            await ReadTreeEventsAsync(connection, transaction, rootId, events, ct).ConfigureAwait(false);
        }

        var links = await ReadRemoteLinksAsync(_db, connection, transaction, events.Keys, ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        CheckpointView? checkpoint = null;
        if (proofs && withEvents && await _store.GetLatestCheckpointAsync(ct).ConfigureAwait(false) is { } latest)
        {
            checkpoint = new CheckpointView(latest.Size, Convert.ToBase64String(latest.Root), latest.StoredAt, Signers(latest.SignedNote), latest.SignedNote);
            // One proof plan for the whole tree: every tile the proofs need is read once, not once per entry.
            var covered = events.Values.SelectMany(list => list.Select(e => e.View.Position)).Where(p => p < latest.Size).ToList();
            var paths = await _store.GetInclusionProofsAsync(covered, latest.Size, ct).ConfigureAwait(false);
            var proofByPosition = new Dictionary<long, IReadOnlyList<byte[]>>(covered.Count);
            for (var i = 0; i < covered.Count; i++)
            {
                proofByPosition[covered[i]] = paths[i];
            }

            foreach (var list in events.Values)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    var view = list[i].View;
                    if (proofByPosition.TryGetValue(view.Position, out var path))
                    {
                        list[i] = (view with { Proof = new InclusionProofView(latest.Size, [.. path.Select(Convert.ToBase64String)]) }, list[i].LeafHash);
                    }
                }
            }
        }

        var root = rows.Single(r => r.Id == rootId);
        var parents = rows.ToDictionary(r => r.Id, r => TreeParent(r, rootId, events), StringComparer.Ordinal);
        var children = rows.Where(r => r.Id != rootId).ToLookup(r => parents[r.Id]!, StringComparer.Ordinal);
        LineageTreeNode Build(ExecutionRow row) => new(
            ExecutionViews.Summary(row), [.. events[row.Id].Select(e => e.View)], [.. children[row.Id].Select(Build)]) { Links = [.. links[row.Id]] };
        var remoteParent = root.State.Parent is { } parent && parent.Ledger != _store.Origin
            ? await RemoteParentLinkAsync(root.State.Id, parent, ct).ConfigureAwait(false)
            : null;

        return new LineageTree(
            rootId,
            rows.Count,
            withEvents ? Digest(rows, parents, events) : null,
            root.State.IsProven,
            root.LineageDigest,
            root.ProofCheckpointSize,
            checkpoint,
            Build(root),
            position) { RemoteParent = remoteParent };
    }

    /// <summary>
    /// Roots of lineage trees whose every execution has ended, not all proven yet, with every entry below
    /// <paramref name="checkpointSize"/>: the trees whose proofs the ledger may append now, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<string>> ProvableLineagesAsync(long checkpointSize, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        await using var command = Sql.Command(
            connection,
            null,
            $"SELECT root_id FROM {ExecutionTables.Lineages.LiveName} WHERE open_nodes = 0 AND proven_nodes < terminal_nodes AND last_position < @size "
            + "ORDER BY first_position LIMIT @n",
            ("@size", checkpointSize),
            ("@n", (long)limit));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var roots = new List<string>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            roots.Add(reader.GetString(0));
        }

        return roots;
    }

    private static async Task ReadTreeEventsAsync(
        DbConnection connection, DbTransaction transaction, string rootId, Dictionary<string, List<(ExecutionEventView View, byte[] LeafHash)>> events, CancellationToken ct)
    {
        await using (var command = Sql.Command(
            connection,
            transaction,
            $"SELECT {ExecutionViews.EventColumns} FROM {ExecutionTables.Events.LiveName} WHERE root_id = @root ORDER BY position",
            ("@root", rootId)))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var (id, view, leafHash) = ExecutionViews.Event(reader);
                if (events.TryGetValue(id, out var list))
                {
                    list.Add((view, leafHash));
                }
            }
        }
    }

    /// <summary>The node's parent in the tree: null for the root; a parent missing from the tree hangs the node under the root.</summary>
    private static string? TreeParent(ExecutionRow row, string rootId, Dictionary<string, List<(ExecutionEventView View, byte[] LeafHash)>> nodes) =>
        row.Id == rootId ? null
        : row.State.Parent?.ExecutionId.Value is { } parent && nodes.ContainsKey(parent) ? parent
        : rootId;

    private static string? Digest(
        List<ExecutionRow> rows, Dictionary<string, string?> parents, Dictionary<string, List<(ExecutionEventView View, byte[] LeafHash)>> events)
    {
        var proofType = WireNames.Of<ProofPersisted>();
        try
        {
            return LineageDigest.Compute(rows.Select(r => new LineageNode(
                ExecutionId.Parse(r.Id),
                parents[r.Id] is { } p ? ExecutionId.Parse(p) : null,
                [.. events[r.Id].Where(e => e.View.Type != proofType).Select(e => new LineageEvent(e.View.Position, e.LeafHash))])));
        }
        catch (ArgumentException)
        {
            return null; // Not a tree the digest is defined for (a node with nothing but a proof).
        }
    }

    private static IReadOnlyList<string> Signers(string note) =>
        SignedNote.TryParse(note, out var parsed, out _) ? [.. parsed.Signatures.Select(s => s.Name).Distinct(StringComparer.Ordinal)] : [];
}
