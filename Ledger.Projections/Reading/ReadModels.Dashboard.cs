using Ledger.Projections.Executions;
using Ledger.Projections.Storage;

namespace Ledger.Projections.Reading;

public sealed partial class ReadModels
{
    /// <summary>
    /// The compliance dashboard of <paramref name="scope"/> at <paramref name="now"/>: executions per cloud and status,
    /// refusals (denials and halts) by reason in <paramref name="buckets"/> buckets of <paramref name="bucketSize"/>
    /// ending at <paramref name="now"/> (by when the refusal was recorded), and the deadline lists of
    /// <see cref="GetComplianceAsync"/> for the scope.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit, bucket count or window out of range.</exception>
    public async Task<DashboardView> GetDashboardAsync(
        ExecutionScope scope, DateTimeOffset now, TimeSpan bucketSize, int buckets, TimeSpan expiringWithin, int limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(buckets, 366);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bucketSize, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(expiringWithin, TimeSpan.Zero);
        await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await _db.BeginReadAsync(connection, ct).ConfigureAwait(false);
        var position = await PositionAsync(connection, transaction, ExecutionsProjection.ProjectionName, ct).ConfigureAwait(false);
        var (parameters, parametersPosition) = await ParametersAsync(connection, transaction, ct).ConfigureAwait(false);

        var domains = new List<string>();
        await using (var command = Sql.Command(connection, transaction, $"SELECT DISTINCT domain FROM {ExecutionTables.DomainCounts.LiveName} ORDER BY domain"))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                domains.Add(reader.GetString(0));
            }
        }

        // Every cloud is counted (within the domain), so the dashboard can offer the others.
        var (domainJoin, _, domainParameters) = Scoped(scope with { Cloud = null });
        var counts = new List<CloudStatusCount>();
        await using (var command = Sql.Command(
            connection, transaction, $"SELECT e.cloud, e.status, COUNT(*) FROM {ExecutionsTable} e{domainJoin} GROUP BY e.cloud, e.status", domainParameters))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                counts.Add(new CloudStatusCount(Sql.NullableText(reader, 0), reader.GetString(1), reader.GetInt64(2)));
            }
        }

        // A denied or halted execution's last entry other than a proof is the one that ended it: its recordedAt is when.
        var start = now - (bucketSize * buckets);
        var (join, where, scoped) = Scoped(scope);
        var refusals = new List<RefusalBucket>();
        await using (var command = Sql.Command(
            connection,
            transaction,
            $"SELECT e.status, e.reason, (v.recorded_at - @start) / @bucket AS b, COUNT(*) FROM {ExecutionsTable} e{join} "
            + $"JOIN {ExecutionTables.Events.LiveName} v ON v.position = e.last_position "
            + $"WHERE e.status IN ('denied', 'halted') AND e.updated_at >= @start AND v.recorded_at >= @start AND v.recorded_at < @end{where} "
            + "GROUP BY e.status, e.reason, b",
            [("@start", Micros.From(start)), ("@end", Micros.From(now)), ("@bucket", Micros.Of(bucketSize)), .. scoped]))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                refusals.Add(new RefusalBucket(reader.GetString(0), Sql.NullableText(reader, 1) ?? "unknown", (int)reader.GetInt64(2), reader.GetInt64(3)));
            }
        }

        var (_, overdue, intents, expiring) = await ComplianceListsAsync(
            connection, transaction, scope, parameters, now, expiringWithin, limit, ct).ConfigureAwait(false);
        return new DashboardView(
            scope, now, position, View(parameters, parametersPosition), domains, counts, start, bucketSize, buckets, refusals, overdue, intents, expiring);
    }

    /// <summary>The lineage trees whose first entry is before <paramref name="before"/> (null: any), newest first, and the next cursor.</summary>
    public async Task<(IReadOnlyList<LineageSummary> Trees, long? NextCursor)> ListLineagesAsync(long? before, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        await using var command = Sql.Command(
            connection,
            null,
            $"SELECT root_id, nodes, open_nodes, max_depth, first_position, last_position FROM {ExecutionTables.Lineages.LiveName} "
            + "WHERE first_position < @before ORDER BY first_position DESC LIMIT @n",
            ("@before", before ?? long.MaxValue),
            ("@n", (long)limit + 1));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var trees = new List<LineageSummary>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            trees.Add(new LineageSummary(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }

        return trees.Count > limit ? (trees[..limit], trees[limit - 1].FirstPosition) : (trees, null);
    }
}
