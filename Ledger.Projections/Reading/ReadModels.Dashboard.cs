using Ledger.Projections.Executions;
using Ledger.Projections.Storage;

namespace Ledger.Projections.Reading;

public sealed partial class ReadModels
{
    /// <summary>
    /// The compliance dashboard of <paramref name="scope"/> at <paramref name="now"/>: executions per cloud and status,
    /// refusals (denials and halts) by reason in the <paramref name="buckets"/> buckets of <paramref name="bucketSize"/>
    /// that end with the one holding <paramref name="now"/> (buckets are whole multiples of their size since the Unix
    /// epoch; a refusal counts in the bucket of the time it was recorded), and the deadline lists of
    /// <see cref="GetComplianceAsync"/> for the scope. Counts and refusals are read from tables the projection keeps
    /// per scope and hour, so the cost does not grow with the number of executions.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit or bucket count out of range, or a bucket size that is not a whole number of hours.</exception>
    public async Task<DashboardView> GetDashboardAsync(
        ExecutionScope scope, DateTimeOffset now, TimeSpan bucketSize, int buckets, TimeSpan expiringWithin, int limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(buckets, 366);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bucketSize, TimeSpan.Zero);
        if (bucketSize.Ticks % TimeSpan.TicksPerHour != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bucketSize), bucketSize, "The bucket size must be a whole number of hours.");
        }

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
        var scopeKey = scope.Domain ?? ExecutionsProjection.AllDomains;
        var counts = new List<CloudStatusCount>();
        await using (var command = Sql.Command(
            connection,
            transaction,
            $"SELECT cloud, status, executions FROM {ExecutionTables.ScopeCounts.LiveName} WHERE domain = @domain ORDER BY cloud, status",
            ("@domain", scopeKey)))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var cloud = reader.GetString(0);
                counts.Add(new CloudStatusCount(cloud.Length == 0 ? null : cloud, reader.GetString(1), reader.GetInt64(2)));
            }
        }

        // Buckets are whole multiples of their size since the Unix epoch, the last one holding now; the refusal hours
        // of the scope within the window are summed into them.
        var size = Micros.Of(bucketSize);
        var end = Micros.Floor(Micros.From(now), size) + size;
        var start = end - (size * buckets);
        var refusals = new List<RefusalBucket>();
        await using (var command = Sql.Command(
            connection,
            transaction,
            $"SELECT status, reason, (hour - @start) / @bucket AS b, CAST(SUM(executions) AS BIGINT) FROM {ExecutionTables.RefusalHours.LiveName} "
            + $"WHERE domain = @domain AND hour >= @start AND hour < @end{(scope.Cloud is null ? "" : " AND cloud = @cloud")} "
            + "GROUP BY status, reason, b",
            [("@domain", scopeKey), ("@start", start), ("@end", end), ("@bucket", size), .. CloudParameter(scope)]))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var reason = reader.GetString(1);
                refusals.Add(new RefusalBucket(reader.GetString(0), reason.Length == 0 ? "unknown" : reason, (int)reader.GetInt64(2), reader.GetInt64(3)));
            }
        }

        var (_, overdue, intents, expiring) = await ComplianceListsAsync(
            connection, transaction, scope, parameters, now, expiringWithin, limit, withRunning: false, ct).ConfigureAwait(false);
        return new DashboardView(
            scope, now, position, View(parameters, parametersPosition), domains, counts, Micros.To(start), bucketSize, buckets, refusals, overdue, intents, expiring);
    }

    private static (string, object?)[] CloudParameter(ExecutionScope scope) => scope.Cloud is null ? [] : [("@cloud", scope.Cloud)];

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
