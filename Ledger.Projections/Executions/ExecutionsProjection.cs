using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using Ledger.Projections.Engine;
using Ledger.Projections.Storage;

namespace Ledger.Projections.Executions;

/// <summary>
/// The <c>executions</c> projection: every execution stream folded with the domain's
/// <see cref="Execution.Evolve"/>, its entries (positions and leaf hashes), its place in a lineage tree,
/// per-domain counts by status and reason, per-tree aggregates, and the ledger parameters in force.
/// </summary>
/// <remarks>
/// A batch loads the rows it touches, applies its entries in position order in memory and writes each
/// touched row once (delete and insert); counts and tree aggregates move by the difference between a
/// row's state before and after the batch, so the result does not depend on where batches begin and end.
/// The rows of open executions and the tree aggregates are kept in memory between committed batches (the
/// read model's content is a function of the log prefix alone, so what a batch committed at a position is
/// valid for whichever runner continues from it) and dropped when a batch fails.
/// Not thread-safe except <see cref="Prepare"/>: one runner drives it.
/// </remarks>
internal sealed class ExecutionsProjection : IProjection
{
    public const string ProjectionName = "executions";

    /// <summary>Beyond this many cached rows the cache starts over (memory stays bounded on huge logs).</summary>
    private const int MaxCachedRows = 200_000;

    private readonly Dictionary<string, ExecutionRow> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long[]> _trees = new(StringComparer.Ordinal);
    private (long Position, bool Shadow) _cachedAt = (-1, false);
    private (long Position, bool Shadow, bool FromCache, Dictionary<string, ExecutionRow> Rows, Dictionary<string, long[]> Trees)? _pending;

    public string Name => ProjectionName;

    /// <remarks>2: the <c>by_cloud_status</c> index of the compliance dashboard.</remarks>
    public int SchemaVersion => 2;

    public IReadOnlyList<TableSpec> Tables => ExecutionTables.All;

    public bool ReadsEntries => true;

    public bool WorksWhenIdle => false;

    public Task<bool> IdleAsync(ProjectionWrite write, long position, CancellationToken ct) => Task.FromResult(false);

    /// <summary>Parses an execution stream's event data (thread-safe, run in parallel by the runner).</summary>
    public object? Prepare(Domain.Log.LedgerEntry entry) =>
        ExecutionId.TryFromStreamName(entry.Stream, out _) && ExecutionEventCodec.TryParse(entry.Type, entry.Data, out var e, out _) ? e : null;

    public void Committed(long position, TableSet tables)
    {
        if (_pending is not { } pending || pending.Position != position || pending.Shadow != tables.IsShadow)
        {
            Forget();
            return;
        }

        _pending = null;
        if (!pending.FromCache)
        {
            // The batch did not start from the cache's state: start over from what it saw.
            _rows.Clear();
            _trees.Clear();
        }

        foreach (var (id, row) in pending.Rows)
        {
            if (row.State.IsTerminal)
            {
                _rows.Remove(id); // Only a proof may follow: not worth the memory.
            }
            else
            {
                _rows[id] = row;
            }
        }

        foreach (var (root, tree) in pending.Trees)
        {
            if (tree[1] == 0)
            {
                _trees.Remove(root);
            }
            else
            {
                _trees[root] = tree;
            }
        }

        if (_rows.Count > MaxCachedRows || _trees.Count > MaxCachedRows)
        {
            _rows.Clear();
            _trees.Clear();
        }

        _cachedAt = (position, tables.IsShadow);
    }

    public void Forget()
    {
        _pending = null;
        _rows.Clear();
        _trees.Clear();
        _cachedAt = (-1, false);
    }

    public async Task ApplyAsync(ProjectionWrite write, IReadOnlyList<ProjectedEntry> entries, long from, long to, CancellationToken ct)
    {
        var touched = new List<string>();
        var touchedSet = new HashSet<string>(StringComparer.Ordinal);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var parsed = new IExecutionEvent?[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i].Entry;
            if (!ExecutionId.TryFromStreamName(entry.Stream, out var id))
            {
                continue;
            }

            if (touchedSet.Add(id.Value))
            {
                touched.Add(id.Value);
            }

            wanted.Add(id.Value);
            if (entries[i].Prepared is IExecutionEvent e)
            {
                parsed[i] = e;
                if (e is IntentDeclared { Parent: { } parent } && parent.Ledger == entry.Origin)
                {
                    wanted.Add(parent.ExecutionId.Value);
                }
            }
        }

        var cached = _cachedAt == (from, write.IsShadow);
        var rows = new Dictionary<string, ExecutionRow>(StringComparer.Ordinal);
        if (cached)
        {
            foreach (var id in wanted)
            {
                if (_rows.TryGetValue(id, out var row))
                {
                    rows[id] = row.Copy();
                }
            }
        }

        foreach (var (id, row) in await LoadAsync(write, [.. wanted.Where(id => !rows.ContainsKey(id))], ct).ConfigureAwait(false))
        {
            rows[id] = row;
        }

        var before = touched.Where(rows.ContainsKey).ToDictionary(id => id, id => Snapshot.Of(rows[id]), StringComparer.Ordinal);
        var events = new List<object?[]>();
        PolicyConfigured? parameters = null;
        long parametersPosition = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var (position, leafHash, entry, _) = entries[i];
            if (ExecutionId.TryFromStreamName(entry.Stream, out var id))
            {
                var row = Apply(rows, id, entries[i], parsed[i]);
                events.Add([position, id.Value, row.RootId, entry.StreamVersion, entry.Type, entry.Emitter, entry.Domain, Micros.From(entry.RecordedAt), leafHash]);
            }
            else if (entry.Stream == LedgerParameters.StreamName && LedgerParametersCodec.TryParse(entry.Type, entry.Data, out var configured, out _))
            {
                parameters = configured;
                parametersPosition = position;
            }
        }

        var after = touched.Select(id => rows[id]).ToList();
        await write.DeleteAsync(ExecutionTables.Executions, "execution_id", before.Keys, ct).ConfigureAwait(false);
        await write.InsertAsync(ExecutionTables.Executions, [.. after.Select(r => r.ToValues())], ct).ConfigureAwait(false);
        await write.InsertAsync(ExecutionTables.Events, events, ct).ConfigureAwait(false);
        await WriteDomainsAsync(write, after, before, ct).ConfigureAwait(false);
        var trees = await WriteTreesAsync(write, after, before, cached, ct).ConfigureAwait(false);
        _pending = (to, write.IsShadow, cached, rows, trees);
        if (parameters is not null)
        {
            await write.ExecuteAsync($"DELETE FROM {write[ExecutionTables.Parameters]}", ct).ConfigureAwait(false);
            await write.InsertAsync(
                ExecutionTables.Parameters,
                [[1L, Micros.Of(parameters.MaxPolicyAge), Micros.Of(parameters.MaxAuthorizationTtl), Micros.Of(parameters.MaxVerificationInterval),
                  Micros.Of(parameters.IntentTtl), parametersPosition]],
                ct).ConfigureAwait(false);
        }
    }

    private static ExecutionRow Apply(Dictionary<string, ExecutionRow> rows, ExecutionId id, ProjectedEntry projected, IExecutionEvent? @event)
    {
        var (position, _, entry, _) = projected;
        var recordedAt = Micros.From(entry.RecordedAt);
        if (!rows.TryGetValue(id.Value, out var row))
        {
            row = new ExecutionRow
            {
                Id = id.Value,
                State = ExecutionState.Initial(id),
                FirstDomain = entry.Domain,
                RootId = id.Value,
                FirstPosition = position,
                CreatedAt = recordedAt,
            };
            rows[id.Value] = row;
        }

        if (@event is IntentDeclared intent && row.EventCount == 0)
        {
            // The tree is fixed by the first entry: a same-ledger parent seen earlier in the log, or none.
            if (intent.Parent is { } parent && parent.Ledger == entry.Origin && rows.TryGetValue(parent.ExecutionId.Value, out var parentRow))
            {
                row.RootId = parentRow.RootId;
                row.Depth = checked(parentRow.Depth + 1);
            }

            row.Cloud = CloudOf.Find(entry.Metadata, entry.Domain);
            row.Resources = intent.Resources;
        }

        if (@event is not null)
        {
            row.State = Execution.Evolve(row.State, @event, entry.RecordedAt, entry.Domain);
        }

        switch (@event)
        {
            case ITermination termination:
                row.Rejected = termination.Rejected;
                row.EndedBy = entry.Emitter;
                break;
            case ExecutionCompleted:
                row.EndedBy = entry.Emitter;
                break;
            case ProofPersisted proof:
                row.ProofPosition ??= position;
                row.ProofCheckpointSize ??= proof.CheckpointSize;
                row.LineageDigest ??= proof.LineageDigest;
                break;
        }

        if (@event is not ProofPersisted)
        {
            row.LastPosition = position;
        }

        row.StreamVersion = entry.StreamVersion;
        row.EventCount++;
        row.UpdatedAt = recordedAt;
        return row;
    }

    private static async Task<Dictionary<string, ExecutionRow>> LoadAsync(ProjectionWrite write, HashSet<string> ids, CancellationToken ct)
    {
        var rows = new Dictionary<string, ExecutionRow>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return rows;
        }

        var table = ExecutionTables.Executions;
        await using var command = write.Command(
            $"SELECT {table.ColumnList} FROM {write[table]} WHERE {write.Database.InSet("execution_id", "@ids")}",
            ("@ids", write.Database.SetValue(ids)));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var row = ExecutionRow.Read(reader);
            rows[row.Id] = row;
        }

        return rows;
    }

    private static async Task WriteDomainsAsync(ProjectionWrite write, List<ExecutionRow> after, Dictionary<string, Snapshot> before, CancellationToken ct)
    {
        var counts = new Dictionary<(string Domain, string Status, string Reason), long>();
        var pairs = new List<object?[]>();
        foreach (var row in after)
        {
            var old = before.GetValueOrDefault(row.Id);
            var domains = row.Domains();
            var status = row.State.Status.ToWireName();
            if (old is not null && old.Status == status && old.Reason == row.ReasonKey && old.Domains.SetEquals(domains))
            {
                continue;
            }

            if (old is not null)
            {
                foreach (var domain in old.Domains)
                {
                    counts[(domain, old.Status, old.Reason)] = counts.GetValueOrDefault((domain, old.Status, old.Reason)) - 1;
                }
            }

            foreach (var domain in domains)
            {
                counts[(domain, status, row.ReasonKey)] = counts.GetValueOrDefault((domain, status, row.ReasonKey)) + 1;
                if (old is null || !old.Domains.Contains(domain))
                {
                    pairs.Add([domain, row.Id]);
                }
            }
        }

        await write.InsertAsync(ExecutionTables.Domains, pairs, ct).ConfigureAwait(false);
        var changed = counts.Where(c => c.Value != 0).Select(c => c.Key.Domain).ToHashSet(StringComparer.Ordinal);
        if (changed.Count == 0)
        {
            return;
        }

        // Read the changed domains' counts, add the deltas, write them back (rows at zero are dropped).
        var table = ExecutionTables.DomainCounts;
        var totals = new Dictionary<(string Domain, string Status, string Reason), long>();
        await using (var command = write.Command(
            $"SELECT domain, status, reason, executions FROM {write[table]} WHERE {write.Database.InSet("domain", "@domains")}",
            ("@domains", write.Database.SetValue(changed))))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                totals[(reader.GetString(0), reader.GetString(1), reader.GetString(2))] = reader.GetInt64(3);
            }
        }

        foreach (var (key, delta) in counts)
        {
            totals[key] = totals.GetValueOrDefault(key) + delta;
        }

        await write.DeleteAsync(table, "domain", changed, ct).ConfigureAwait(false);
        await write.InsertAsync(
            table,
            [.. totals.Where(t => t.Value != 0 && changed.Contains(t.Key.Domain)).Select(t => new object?[] { t.Key.Domain, t.Key.Status, t.Key.Reason, t.Value })],
            ct).ConfigureAwait(false);
    }

    private async Task<Dictionary<string, long[]>> WriteTreesAsync(
        ProjectionWrite write, List<ExecutionRow> after, Dictionary<string, Snapshot> before, bool cached, CancellationToken ct)
    {
        var table = ExecutionTables.Lineages;
        var roots = after.Select(r => r.RootId).ToHashSet(StringComparer.Ordinal);
        var trees = new Dictionary<string, long[]>(StringComparer.Ordinal);
        if (cached)
        {
            foreach (var root in roots)
            {
                if (_trees.TryGetValue(root, out var tree))
                {
                    trees[root] = (long[])tree.Clone();
                }
            }
        }

        var missing = roots.Where(r => !trees.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            await using var command = write.Command(
                $"SELECT {table.ColumnList} FROM {write[table]} WHERE {write.Database.InSet("root_id", "@ids")}",
                ("@ids", write.Database.SetValue(missing)));
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                trees[reader.GetString(0)] = [.. Enumerable.Range(1, 7).Select(reader.GetInt64)];
            }
        }

        var existing = trees.Keys.ToList();
        foreach (var row in after)
        {
            // nodes, open, terminal, proven, max depth, first position, last position
            if (!trees.TryGetValue(row.RootId, out var tree))
            {
                trees[row.RootId] = tree = [0, 0, 0, 0, 0, long.MaxValue, -1];
            }

            var old = before.GetValueOrDefault(row.Id);
            var now = Snapshot.Of(row);
            tree[0] += old is null ? 1 : 0;
            tree[1] += Flag(now.IsOpen) - Flag(old?.IsOpen ?? false);
            tree[2] += Flag(now.IsTerminal) - Flag(old?.IsTerminal ?? false);
            tree[3] += Flag(now.IsProven) - Flag(old?.IsProven ?? false);
            tree[4] = Math.Max(tree[4], row.Depth);
            tree[5] = Math.Min(tree[5], row.FirstPosition);
            tree[6] = Math.Max(tree[6], row.LastPosition);
        }

        await write.DeleteAsync(table, "root_id", existing, ct).ConfigureAwait(false);
        await write.InsertAsync(table, [.. trees.Select(t => (object?[])[t.Key, .. t.Value.Cast<object?>()])], ct).ConfigureAwait(false);
        return trees;
    }

    private static long Flag(bool value) => value ? 1 : 0;

    /// <summary>What the counts and tree aggregates depend on, as a row stood before the batch.</summary>
    private sealed record Snapshot(string Status, string Reason, IReadOnlySet<string> Domains, bool IsOpen, bool IsTerminal, bool IsProven)
    {
        public static Snapshot Of(ExecutionRow row) => new(
            row.State.Status.ToWireName(), row.ReasonKey, row.Domains(), Wire.IsOpen(row.State.Status), row.State.IsTerminal, row.State.IsProven);
    }
}
