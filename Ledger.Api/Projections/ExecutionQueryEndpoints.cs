using System.Globalization;
using Ledger.Api.Append;
using Ledger.Api.Problems;
using Ledger.Application.Executions;
using Ledger.Domain.Executions;
using Ledger.Projections.Engine;
using Ledger.Projections.Reading;

namespace Ledger.Api.Projections;

/// <summary>
/// Executions as the read models know them: <c>GET /v1/executions</c>, <c>GET /v1/executions/{id}</c> and
/// <c>GET /v1/executions/{id}/lineage</c>. Answers lag the log by the <c>executions</c> projection's lag.
/// </summary>
public static class ExecutionQueryEndpoints
{
    public static IEndpointRouteBuilder MapExecutionQueryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/executions").WithTags("Executions").RequireAuthorization();
        group.MapGet("/", ListAsync).WithName("ListExecutions")
            .WithSummary("Executions newest first, filtered by domain, cloud, status, phase, reason, lineage root and time; cursor paging")
            .Produces<ExecutionListResponse>().ProducesProblem(400).ProducesProblem(401);
        group.MapGet("/{id}", GetAsync).WithName("GetExecution")
            .WithSummary("One execution: its state, lineage place, refusal evidence, proof and entries")
            .Produces<ExecutionDetail>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(404);
        group.MapGet("/{id}/lineage", LineageAsync).WithName("GetExecutionLineage")
            .WithSummary("The lineage tree holding the execution, nested from its root, with every entry's position and leaf hash and the lineage digest; proofs=true adds inclusion proofs against the latest checkpoint")
            .Produces<LineageTree>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(404);
        return app;
    }

    public static async Task<IResult> ListAsync(
        ProjectionEngine engine,
        string? domain,
        string? cloud,
        string? status,
        string? phase,
        string? reason,
        string? root,
        string? since,
        string? until,
        string? cursor,
        int? limit,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (status is not null && !Enum.GetValues<ExecutionStatus>().Any(s => s.ToWireName() == status))
        {
            errors["status"] = [$"must be one of {string.Join(", ", Enum.GetValues<ExecutionStatus>().Select(s => s.ToWireName()))}"];
        }

        if (phase is not null && !Enum.GetValues<ExecutionPhase>().Any(p => p.ToWireName() == phase))
        {
            errors["phase"] = [$"must be one of {string.Join(", ", Enum.GetValues<ExecutionPhase>().Select(p => p.ToWireName()))}"];
        }

        if (reason is not null && !Reason.TryParse(reason, out _))
        {
            errors["reason"] = [$"must be one of {string.Join(", ", Reason.All.Select(r => r.Code))}"];
        }

        var from = ParseTime("since", since, errors);
        var to = ParseTime("until", until, errors);
        long? before = null;
        if (cursor is not null)
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            {
                before = position;
            }
            else
            {
                errors["cursor"] = ["must be the nextCursor of a previous page"];
            }
        }

        var size = limit ?? 50;
        if (size is < 1 or > ReadModels.MaxPageSize)
        {
            errors["limit"] = [$"must be between 1 and {ReadModels.MaxPageSize}"];
        }

        if (errors.Count > 0)
        {
            return LedgerProblems.Invalid(errors);
        }

        var page = await engine.ReadModels.ListExecutionsAsync(
            new ExecutionQuery
            {
                Domain = domain, Cloud = cloud, Status = status, Phase = phase, Reason = reason, RootId = root,
                Since = from, Until = to, Before = before, Limit = size,
            },
            ct).ConfigureAwait(false);
        return TypedResults.Ok(new ExecutionListResponse(page.Items, page.NextCursor?.ToString(CultureInfo.InvariantCulture), page.Position));
    }

    public static async Task<IResult> GetAsync(string id, ProjectionEngine engine, CancellationToken ct)
    {
        if (!ExecutionId.IsValid(id))
        {
            return InvalidId(id);
        }

        var detail = await engine.ReadModels.GetExecutionAsync(id, ct).ConfigureAwait(false);
        return detail is null ? NotProjected(id) : TypedResults.Ok(detail);
    }

    public static async Task<IResult> LineageAsync(string id, bool? proofs, ProjectionEngine engine, CancellationToken ct)
    {
        if (!ExecutionId.IsValid(id))
        {
            return InvalidId(id);
        }

        var tree = await engine.ReadModels.GetLineageAsync(id, proofs ?? false, ct).ConfigureAwait(false);
        return tree is null ? NotProjected(id) : TypedResults.Ok(tree);
    }

    private static IResult InvalidId(string id) =>
        LedgerProblems.OutOfRange($"'{AppendEndpoints.Printable(id)}' is not an execution id (1 to 128 characters of [A-Za-z0-9._:-]).");

    private static IResult NotProjected(string id) =>
        LedgerProblems.NotFound($"The read models know no execution '{id}' (yet: they lag the log by the executions projection's lag, see /v1/projections).");

    private static DateTimeOffset? ParseTime(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            && text.Contains('T', StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        errors[name] = ["must be an RFC 3339 date-time such as 2025-01-31T12:00:00Z"];
        return null;
    }
}

/// <summary>A page of executions; pass <see cref="NextCursor"/> as <c>cursor</c> for the next one (null on the last page).</summary>
public sealed record ExecutionListResponse(IReadOnlyList<ExecutionSummary> Items, string? NextCursor, long Position);
