using System.Runtime.InteropServices;
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

    /// <summary>The scope key of every domain at once in <see cref="ExecutionTables.ScopeCounts"/> and <see cref="ExecutionTables.RefusalHours"/>.</summary>
    internal const string AllDomains = "";

    private const long MicrosPerHour = 3_600_000_000;

    private readonly Dictionary<string, ExecutionRow> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long[]> _trees = new(StringComparer.Ordinal);
    private (long Position, bool Shadow) _cachedAt = (-1, false);
    private (long Position, bool Shadow, bool FromCache, Dictionary<string, ExecutionRow> Rows, Dictionary<string, long[]> Trees)? _pending;

    public string Name => ProjectionName;

    /// <remarks>
    /// 2: the <c>by_cloud_status</c> index of the compliance dashboard. 3: the dashboard's counts and refusals kept
    /// as tables (<c>proj_scope_counts</c>, <c>proj_refusal_hours</c>) instead of counted from the executions, and each
    /// peer's verified attestations (<c>proj_peer_attestations</c>).
    /// </remarks>
    public int SchemaVersion => 3;

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
            if (row.State.IsTerminal && row.State.IsProven)
            {
                _rows.Remove(id); // Nothing more is expected: not worth the memory.
            }
            else
            {
                _rows[id] = row;
            }
        }

        foreach (var (root, tree) in pending.Trees)
        {
            if (tree[1] == 0 && tree[3] >= tree[2])
            {
                // No open node and every ended one proven: nothing more is expected.
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
        var streams = new ExecutionId?[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i].Entry;
            if (!ExecutionId.TryFromStreamName(entry.Stream, out var id))
            {
                continue;
            }

            streams[i] = id;
            if (touchedSet.Add(id.Value))
            {
                touched.Add(id.Value);
                if (entry.StreamVersion != 1)
                {
                    // A stream whose first entry is in this batch has no row yet: nothing to look up.
                    wanted.Add(id.Value);
                }
            }

            if (entries[i].Prepared is IExecutionEvent e)
            {
                parsed[i] = e;
                if (e is IntentDeclared { Parent: { } parent } && parent.Ledger == entry.Origin && !touchedSet.Contains(parent.ExecutionId.Value))
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

        wanted.ExceptWith(rows.Keys);
        foreach (var (id, row) in await LoadAsync(write, wanted, ct).ConfigureAwait(false))
        {
            rows[id] = row;
        }

        var before = new Dictionary<string, Snapshot>(StringComparer.Ordinal);
        foreach (var id in touched)
        {
            if (rows.TryGetValue(id, out var row))
            {
                before[id] = row.Snapshot ?? Snapshot.Of(row);
            }
        }

        var events = new List<EventRow>(entries.Count);
        var attested = new Dictionary<string, (long Count, object?[] Last)>(StringComparer.Ordinal);
        PolicyConfigured? parameters = null;
        long parametersPosition = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var (position, leafHash, entry, _) = entries[i];
            if (streams[i] is { } id)
            {
                var row = Apply(rows, id, entries[i], parsed[i]);
                events.Add(new EventRow(position, row.Id, row.RootId, entry.StreamVersion, entry.Type, entry.Emitter, entry.Domain, Micros.From(entry.RecordedAt), leafHash));
                if (parsed[i] is ParentAttested a)
                {
                    attested[a.Ledger] = (attested.GetValueOrDefault(a.Ledger).Count + 1,
                        [a.Ledger, 0L, position, Micros.From(entry.RecordedAt), Micros.From(a.AttestedAt), id.Value, a.CheckpointSize]);
                }
            }
            else if (entry.Stream == LedgerParameters.StreamName && LedgerParametersCodec.TryParse(entry.Type, entry.Data, out var configured, out _))
            {
                parameters = configured;
                parametersPosition = position;
            }
        }

        var after = new List<Change>(touched.Count);
        var written = new ExecutionRow[touched.Count];
        foreach (var id in touched)
        {
            var row = rows[id];
            var now = Snapshot.Of(row);
            row.Snapshot = now;
            written[after.Count] = row;
            after.Add(new Change(row, before.GetValueOrDefault(id), now));
        }

        await write.DeleteAsync(ExecutionTables.Executions, "execution_id", before.Keys, ct).ConfigureAwait(false);
        await write.InsertAsync(ExecutionTables.Executions, written, static (row, w) => row.Write(w), ct).ConfigureAwait(false);
        await write.InsertAsync(ExecutionTables.Events, events, static (e, w) => e.Write(w), ct).ConfigureAwait(false);
        await WriteDomainsAsync(write, after, ct).ConfigureAwait(false);
        await WriteScopesAsync(write, after, ct).ConfigureAwait(false);
        await WritePeerAttestationsAsync(write, attested, ct).ConfigureAwait(false);
        var trees = await WriteTreesAsync(write, after, cached, ct).ConfigureAwait(false);
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

        if (@event is IntentDeclared intent && row.State.Status == ExecutionStatus.None)
        {
            // The tree is fixed by the intent (after a remote parent's attestation, the ledger's, which comes first): a
            // same-ledger parent seen earlier in the log, or none.
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

    private static async Task WriteDomainsAsync(ProjectionWrite write, List<Change> after, CancellationToken ct)
    {
        var counts = new Dictionary<(string Domain, string Status, string Reason), long>();
        var pairs = new List<(string Domain, string Id)>();
        foreach (var (row, old, now) in after)
        {
            var domains = now.Domains;
            var status = now.Status;
            if (old is not null && old.Status == status && old.Reason == now.Reason && (ReferenceEquals(old.Domains, domains) || old.Domains.SetEquals(domains)))
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
                counts[(domain, status, now.Reason)] = counts.GetValueOrDefault((domain, status, now.Reason)) + 1;
                if (old is null || !old.Domains.Contains(domain))
                {
                    pairs.Add((domain, row.Id));
                }
            }
        }

        await write.InsertAsync(
            ExecutionTables.Domains,
            pairs,
            static (p, w) =>
            {
                w.Text(p.Domain);
                w.Text(p.Id);
            },
            ct).ConfigureAwait(false);
        var changed = counts.Where(c => c.Value != 0).Select(c => c.Key.Domain).ToHashSet(StringComparer.Ordinal);
        if (changed.Count == 0)
        {
            return;
        }

        // Read the changed domains' counts, add the deltas, write them back (rows at zero are dropped).
        await MoveCountsAsync(write, ExecutionTables.DomainCounts, "domain, status, reason", counts, changed, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves a count table keyed by a domain and two more text columns (<paramref name="keyColumns"/>, the domain first,
    /// then <c>executions</c>) by <paramref name="deltas"/>: the <paramref name="changed"/> domains' rows are read whole,
    /// the deltas added, and the rows written back, those at zero dropped.
    /// </summary>
    private static async Task MoveCountsAsync(
        ProjectionWrite write, TableSpec table, string keyColumns, Dictionary<(string, string, string), long> deltas, HashSet<string> changed, CancellationToken ct)
    {
        var totals = new Dictionary<(string Domain, string A, string B), long>();
        await using (var command = write.Command(
            $"SELECT {keyColumns}, executions FROM {write[table]} WHERE {write.Database.InSet("domain", "@domains")}",
            ("@domains", write.Database.SetValue(changed))))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                totals[(reader.GetString(0), reader.GetString(1), reader.GetString(2))] = reader.GetInt64(3);
            }
        }

        foreach (var (key, delta) in deltas)
        {
            totals[key] = totals.GetValueOrDefault(key) + delta;
        }

        await write.DeleteAsync(table, "domain", changed, ct).ConfigureAwait(false);
        var rows = new List<KeyValuePair<(string Domain, string A, string B), long>>(totals.Count);
        foreach (var total in totals)
        {
            if (total.Value != 0 && changed.Contains(total.Key.Domain))
            {
                rows.Add(total);
            }
        }

        await write.InsertAsync(
            table,
            rows,
            static (t, w) =>
            {
                w.Text(t.Key.Domain);
                w.Text(t.Key.A);
                w.Text(t.Key.B);
                w.Long(t.Value);
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves the dashboard's counts (<see cref="ExecutionTables.ScopeCounts"/>) and refusal hours
    /// (<see cref="ExecutionTables.RefusalHours"/>) by the difference the batch made to each touched execution.
    /// </summary>
    private static async Task WriteScopesAsync(ProjectionWrite write, List<Change> after, CancellationToken ct)
    {
        var counts = new Dictionary<(string Domain, string Cloud, string Status), long>();
        var refusals = new Dictionary<(string Domain, long Hour, string Cloud, string Status, string Reason), long>();
        void Count(Snapshot s, long delta)
        {
            var cloud = s.Cloud ?? "";
            CountIn(AllDomains, s, cloud, delta);
            foreach (var domain in s.Domains)
            {
                CountIn(domain, s, cloud, delta);
            }
        }

        void CountIn(string domain, Snapshot s, string cloud, long delta)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(counts, (domain, cloud, s.Status), out _) += delta;
            if (s.RefusedAt is { } at)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(refusals, (domain, Hour(at), cloud, s.Status, s.Reason), out _) += delta;
            }
        }

        foreach (var (_, old, now) in after)
        {
            if (old is not null && old.SameScopes(now))
            {
                continue;
            }

            if (old is not null)
            {
                Count(old, -1);
            }

            Count(now, 1);
        }

        var changed = counts.Where(c => c.Value != 0).Select(c => c.Key.Domain).ToHashSet(StringComparer.Ordinal);
        if (changed.Count > 0)
        {
            // A scope has a few rows (clouds × statuses): read the changed scopes whole, add the deltas, write them back.
            await MoveCountsAsync(write, ExecutionTables.ScopeCounts, "domain, cloud, status", counts, changed, ct).ConfigureAwait(false);
        }

        var moved = refusals.Where(r => r.Value != 0).Select(r => r.Key).ToList();
        if (moved.Count > 0)
        {
            // Refusals are recorded in log order, so a batch's hours are few and adjacent: read the changed scopes'
            // rows within the batch's span of hours, add the deltas, write that span back.
            var table = ExecutionTables.RefusalHours;
            var domains = moved.Select(k => k.Domain).ToHashSet(StringComparer.Ordinal);
            var (first, last) = (moved.Min(k => k.Hour), moved.Max(k => k.Hour));
            const string Span = "hour >= @first AND hour <= @last";
            var totals = new Dictionary<(string Domain, long Hour, string Cloud, string Status, string Reason), long>();
            await using (var command = write.Command(
                $"SELECT domain, hour, cloud, status, reason, executions FROM {write[table]} WHERE {write.Database.InSet("domain", "@domains")} AND {Span}",
                ("@domains", write.Database.SetValue(domains)),
                ("@first", first),
                ("@last", last)))
            await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    totals[(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4))] = reader.GetInt64(5);
                }
            }

            foreach (var (key, delta) in refusals)
            {
                totals[key] = totals.GetValueOrDefault(key) + delta;
            }

            await write.ExecuteAsync(
                $"DELETE FROM {write[table]} WHERE {write.Database.InSet("domain", "@domains")} AND {Span}",
                ct,
                ("@domains", write.Database.SetValue(domains)),
                ("@first", first),
                ("@last", last)).ConfigureAwait(false);
            await write.InsertAsync(
                table,
                [.. totals.Where(t => t.Value != 0)],
                static (t, w) =>
                {
                    w.Text(t.Key.Domain);
                    w.Long(t.Key.Hour);
                    w.Text(t.Key.Cloud);
                    w.Text(t.Key.Status);
                    w.Text(t.Key.Reason);
                    w.Long(t.Value);
                },
                ct).ConfigureAwait(false);
        }
    }

    /// <summary>Adds the batch's attestations to each peer's count; the batch's latest one (log order) becomes the peer's latest.</summary>
    private static async Task WritePeerAttestationsAsync(ProjectionWrite write, Dictionary<string, (long Count, object?[] Last)> attested, CancellationToken ct)
    {
        if (attested.Count == 0)
        {
            return;
        }

        var table = ExecutionTables.PeerAttestations;
        var earlier = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var command = write.Command(
            $"SELECT ledger, attestations FROM {write[table]} WHERE {write.Database.InSet("ledger", "@ledgers")}",
            ("@ledgers", write.Database.SetValue(attested.Keys))))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                earlier[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        await write.DeleteAsync(table, "ledger", attested.Keys, ct).ConfigureAwait(false);
        await write.InsertAsync(
            table,
            [.. attested.Select(a =>
            {
                var row = (object?[])a.Value.Last.Clone();
                row[1] = a.Value.Count + earlier.GetValueOrDefault(a.Key);
                return row;
            })],
            ct).ConfigureAwait(false);
    }

    /// <summary>The start of the hour holding <paramref name="micros"/> (microseconds since the Unix epoch).</summary>
    private static long Hour(long micros) => Micros.Floor(micros, MicrosPerHour);

    private async Task<Dictionary<string, long[]>> WriteTreesAsync(
        ProjectionWrite write, List<Change> after, bool cached, CancellationToken ct)
    {
        var table = ExecutionTables.Lineages;
        var roots = after.Select(c => c.Row.RootId).ToHashSet(StringComparer.Ordinal);
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
        foreach (var (row, old, now) in after)
        {
            // nodes, open, terminal, proven, max depth, first position, last position
            if (!trees.TryGetValue(row.RootId, out var tree))
            {
                trees[row.RootId] = tree = [0, 0, 0, 0, 0, long.MaxValue, -1];
            }

            tree[0] += old is null ? 1 : 0;
            tree[1] += Flag(now.IsOpen) - Flag(old?.IsOpen ?? false);
            tree[2] += Flag(now.IsTerminal) - Flag(old?.IsTerminal ?? false);
            tree[3] += Flag(now.IsProven) - Flag(old?.IsProven ?? false);
            tree[4] = Math.Max(tree[4], row.Depth);
            tree[5] = Math.Min(tree[5], row.FirstPosition);
            tree[6] = Math.Max(tree[6], row.LastPosition);
        }

        await write.DeleteAsync(table, "root_id", existing, ct).ConfigureAwait(false);
        await write.InsertAsync(
            table,
            [.. trees],
            static (t, w) =>
            {
                w.Text(t.Key);
                foreach (var value in t.Value)
                {
                    w.Long(value);
                }
            },
            ct).ConfigureAwait(false);
        return trees;
    }

    private static long Flag(bool value) => value ? 1 : 0;

    /// <summary>One row of <see cref="ExecutionTables.Events"/>.</summary>
    private readonly record struct EventRow(
        long Position, string ExecutionId, string RootId, long StreamVersion, string Type, string Emitter, string Domain, long RecordedAt, byte[] LeafHash)
    {
        public void Write(RowWriter w)
        {
            w.Long(Position);
            w.Text(ExecutionId);
            w.Text(RootId);
            w.Long(StreamVersion);
            w.Text(Type);
            w.Text(Emitter);
            w.Text(Domain);
            w.Long(RecordedAt);
            w.Bytes(LeafHash);
        }
    }

    /// <summary>A row the batch touched, with what the counts and tree aggregates saw of it before (null: a new row) and after the batch.</summary>
    private readonly record struct Change(ExecutionRow Row, Snapshot? Before, Snapshot After);

    /// <summary>What the counts and tree aggregates depend on, as a row stood at the end of a batch.</summary>
    /// <param name="RefusedAt">When it was denied or halted (its terminal entry's <c>recordedAt</c>, microseconds), or null.</param>
    internal sealed record Snapshot(
        string Status, string Reason, IReadOnlySet<string> Domains, string? Cloud, long? RefusedAt, bool IsOpen, bool IsTerminal, bool IsProven)
    {
        public static Snapshot Of(ExecutionRow row) => new(
            row.State.Status.ToWireName(),
            row.ReasonKey,
            row.Domains(),
            row.Cloud,
            row.State.Status is ExecutionStatus.Denied or ExecutionStatus.Halted ? Micros.From(row.State.EndedAt) : null,
            Wire.IsOpen(row.State.Status),
            row.State.IsTerminal,
            row.State.IsProven);

        /// <summary>Whether <paramref name="other"/> counts in the same scope rows and refusal hour.</summary>
        public bool SameScopes(Snapshot other) =>
            Status == other.Status && Reason == other.Reason && Cloud == other.Cloud && RefusedAt == other.RefusedAt && Domains.SetEquals(other.Domains);
    }
}
