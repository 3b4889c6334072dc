using System.Data.Common;
using Ledger.Domain.Parameters;
using Ledger.Projections.Executions;
using Ledger.Projections.Storage;

namespace Ledger.Projections.Reading;

public sealed partial class ReadModels
{
    /// <summary>
    /// The compliance view of one domain at <paramref name="now"/>: counts by status and by reason, running
    /// executions, those past a deadline, and authorizations ending within <paramref name="expiringWithin"/>.
    /// </summary>
    /// <param name="domain">The domain.</param>
    /// <param name="now">The instant deadlines are judged at (the ledger's clock).</param>
    /// <param name="expiringWithin">The window of <see cref="ComplianceView.AuthorizationsExpiring"/>.</param>
    /// <param name="limit">Most items per list.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<ComplianceView> GetComplianceAsync(string domain, DateTimeOffset now, TimeSpan expiringWithin, int limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(expiringWithin, TimeSpan.Zero);
        await using var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await _db.BeginReadAsync(connection, ct).ConfigureAwait(false);
        var position = await PositionAsync(connection, transaction, ExecutionsProjection.ProjectionName, ct).ConfigureAwait(false);
        var (parameters, parametersPosition) = await ParametersAsync(connection, transaction, ct).ConfigureAwait(false);

        var statuses = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var denied = new List<ReasonCount>();
        var halted = new List<ReasonCount>();
        await using (var command = Sql.Command(
            connection, transaction, $"SELECT status, reason, executions FROM {ExecutionTables.DomainCounts.LiveName} WHERE domain = @d", ("@d", domain)))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var (status, reason, count) = (reader.GetString(0), reader.GetString(1), reader.GetInt64(2));
                statuses[status] = statuses.GetValueOrDefault(status) + count;
                (status == "denied" ? denied : status == "halted" ? halted : null)?.Add(new ReasonCount(reason, count));
            }
        }

        var (running, overdue, intents, expiring) = await ComplianceListsAsync(
            connection, transaction, new ExecutionScope(domain, null), parameters, now, expiringWithin, limit, withRunning: true, ct).ConfigureAwait(false);

        return new ComplianceView(
            domain,
            now,
            position,
            View(parameters, parametersPosition),
            statuses,
            [.. denied.OrderByDescending(r => r.Executions).ThenBy(r => r.Reason, StringComparer.Ordinal)],
            [.. halted.OrderByDescending(r => r.Executions).ThenBy(r => r.Reason, StringComparer.Ordinal)],
            running,
            overdue,
            intents,
            expiring);
    }

    /// <summary>The parameters in their wire form (the codec's ISO 8601 durations).</summary>
    private static ParametersView View(LedgerParameters parameters, long? position)
    {
        var data = LedgerParametersCodec.ToData(PolicyConfigured.From(parameters));
        string Read(string name) => data.GetProperty(name).GetString()!;
        return new ParametersView(Read("maxPolicyAge"), Read("maxAuthorizationTtl"), Read("maxVerificationInterval"), Read("intentTtl"), position);
    }

    private static DateTimeOffset? Min(DateTimeOffset? since, TimeSpan interval, DateTimeOffset? expires) =>
        since + interval is { } due && expires is { } e ? (e < due ? e : due) : since + interval ?? expires;

    /// <summary>
    /// The lists a compliance team watches within <paramref name="scope"/>: running executions, those past their
    /// verification deadline or authorization expiry, intents past <c>intentTtl</c>, and authorizations ending within
    /// <paramref name="expiringWithin"/> (the running list left empty unless <paramref name="withRunning"/>). The one place
    /// these deadlines are read from the read model.
    /// </summary>
    private static async Task<(ComplianceList Running, ComplianceList Overdue, ComplianceList Intents, ComplianceList Expiring)> ComplianceListsAsync(
        DbConnection connection,
        DbTransaction transaction,
        ExecutionScope scope,
        LedgerParameters parameters,
        DateTimeOffset now,
        TimeSpan expiringWithin,
        int limit,
        bool withRunning,
        CancellationToken ct)
    {
        var at = Micros.From(now);
        var interval = Micros.Of(parameters.MaxVerificationInterval);
        var running = withRunning
            ? await ListAsync(connection, transaction, scope, "e.status = 'running'", "e.first_position DESC", null, limit, [], ct).ConfigureAwait(false)
            : new ComplianceList(0, []);
        var overdue = await ListAsync(
            connection,
            transaction,
            scope,
            "e.status = 'running' AND (@now > COALESCE(e.last_verified_at, e.started_at) + @interval OR @now > e.expires_at)",
            "e.first_position",
            r => Min(r.State.LastVerifiedAt ?? r.State.StartedAt, parameters.MaxVerificationInterval, r.State.ExpiresAt),
            limit,
            [("@now", at), ("@interval", interval)],
            ct).ConfigureAwait(false);
        var intents = await ListAsync(
            connection,
            transaction,
            scope,
            "e.status IN ('declared', 'governed', 'authorized', 'trusted') AND @now > e.declared_at + @ttl",
            "e.first_position",
            r => r.State.DeclaredAt + parameters.IntentTtl,
            limit,
            [("@now", at), ("@ttl", Micros.Of(parameters.IntentTtl))],
            ct).ConfigureAwait(false);
        var expiring = await ListAsync(
            connection,
            transaction,
            scope,
            "e.status IN ('authorized', 'trusted', 'running') AND e.expires_at >= @now AND e.expires_at <= @until",
            "e.expires_at, e.first_position",
            r => r.State.ExpiresAt,
            limit,
            [("@now", at), ("@until", Micros.From(now + expiringWithin))],
            ct).ConfigureAwait(false);
        return (running, overdue, intents, expiring);
    }

    private static async Task<ComplianceList> ListAsync(
        DbConnection connection,
        DbTransaction transaction,
        ExecutionScope scope,
        string condition,
        string order,
        Func<ExecutionRow, DateTimeOffset?>? at,
        int limit,
        (string, object?)[] parameters,
        CancellationToken ct)
    {
        var (where, scoped) = Scoped(scope);
        var from = " WHERE " + condition + where;
        (string, object?)[] all = [.. parameters, .. scoped];
        var total = (long)(await Sql.ScalarAsync(connection, transaction, $"SELECT COUNT(*) FROM {ExecutionsTable} e" + from, ct, all).ConfigureAwait(false))!;
        var rows = total == 0
            ? []
            : await ReadRowsAsync(connection, transaction, SelectExecutions + from + $" ORDER BY {order} LIMIT @limit", [.. all, ("@limit", (long)limit)], ct)
                .ConfigureAwait(false);
        return new ComplianceList(total, [.. rows.Select(r => new ComplianceItem(ExecutionViews.Summary(r), at?.Invoke(r)))]);
    }

    /// <summary>
    /// The extra conditions (each starting with AND) and the parameters that restrict executions (alias <c>e</c>) to a
    /// scope. The domain is a correlated EXISTS, not a join, so that the status condition drives the query (its index
    /// holds the few open executions) rather than the domain's every execution.
    /// </summary>
    private static (string Where, (string, object?)[] Parameters) Scoped(ExecutionScope scope)
    {
        var where = (scope.Domain is null
                ? ""
                : $" AND EXISTS (SELECT 1 FROM {ExecutionTables.Domains.LiveName} d WHERE d.domain = @domain AND d.execution_id = e.execution_id)")
            + (scope.Cloud is null ? "" : " AND e.cloud = @cloud");
        var parameters = new List<(string, object?)>();
        if (scope.Domain is not null)
        {
            parameters.Add(("@domain", scope.Domain));
        }

        if (scope.Cloud is not null)
        {
            parameters.Add(("@cloud", scope.Cloud));
        }

        return (where, [.. parameters]);
    }

    private static async Task<(LedgerParameters Parameters, long? Position)> ParametersAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        await using var command = Sql.Command(
            connection,
            transaction,
            $"SELECT max_policy_age, max_authorization_ttl, max_verification_interval, intent_ttl, position FROM {ExecutionTables.Parameters.LiveName} WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return (LedgerParameters.Default, null);
        }

        static TimeSpan Span(long micros) => TimeSpan.FromTicks(checked(micros * TimeSpan.TicksPerMicrosecond));
        return (new LedgerParameters(Span(reader.GetInt64(0)), Span(reader.GetInt64(1)), Span(reader.GetInt64(2)), Span(reader.GetInt64(3))), reader.GetInt64(4));
    }
}
