using Ledger.Api.Admin;
using Ledger.Api.Append;
using Ledger.Api.Problems;
using Ledger.Application.Executions;
using Ledger.Projections.Engine;

namespace Ledger.Api.Projections;

/// <summary><c>GET /v1/projections</c> (positions and lag) and admin <c>POST /v1/projections/{name}/rebuild</c>.</summary>
public static class ProjectionEndpoints
{
    public static IEndpointRouteBuilder MapProjectionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/projections").WithTags("Projections");
        group.MapGet("/", ListAsync).RequireAuthorization().WithName("ListProjections")
            .WithSummary("Each projection's position, the log size, its lag and any rebuild under way")
            .Produces<ProjectionListResponse>().ProducesProblem(401);
        group.MapPost("/{name}/rebuild", RebuildAsync).RequireAuthorization(AdminEndpoints.AdminPolicy).WithName("RebuildProjection")
            .WithSummary("Rebuild a projection from position 0 into shadow tables; the live read model keeps answering until the rebuilt one replaces it")
            .Produces<ProjectionStatus>(202).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    /// <summary>Maps every read-model endpoint: executions, lineage, compliance and projections.</summary>
    public static IEndpointRouteBuilder MapReadModelEndpoints(this IEndpointRouteBuilder app) =>
        app.MapExecutionQueryEndpoints().MapComplianceEndpoints().MapProjectionEndpoints();

    public static async Task<IResult> ListAsync(ProjectionEngine engine, CancellationToken ct) =>
        TypedResults.Ok(new ProjectionListResponse(await engine.GetStatusAsync(ct).ConfigureAwait(false)));

    public static async Task<IResult> RebuildAsync(string name, ProjectionEngine engine, CancellationToken ct)
    {
        if (!engine.Names.Contains(name, StringComparer.Ordinal))
        {
            return LedgerProblems.NotFound($"There is no projection '{AppendEndpoints.Printable(name)}'; there are {string.Join(", ", engine.Names)}.");
        }

        var status = await engine.RequestRebuildAsync(name, ct).ConfigureAwait(false);
        return TypedResults.Json(status, statusCode: StatusCodes.Status202Accepted);
    }
}

/// <summary>The projections of this ledger.</summary>
public sealed record ProjectionListResponse(IReadOnlyList<ProjectionStatus> Projections);
