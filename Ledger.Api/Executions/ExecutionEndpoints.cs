using Ledger.Api.Append;
using Ledger.Api.Problems;
using Ledger.Application.Executions;
using Ledger.Domain.Executions;

namespace Ledger.Api.Executions;

/// <summary><c>GET /v1/executions/{id}/decision</c>: may this execution act now.</summary>
public static class ExecutionEndpoints
{
    public static IEndpointRouteBuilder MapExecutionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/executions").WithTags("Executions");
        group.MapGet("/{id}/decision", DecisionAsync)
            .RequireAuthorization()
            .WithName("GetExecutionDecision")
            .WithSummary("Whether the execution may act now, and until when")
            .Produces<DecisionResponse>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404);
        return app;
    }

    /// <summary>Decided from the execution record and its ancestors' records: never allowed below a denied or halted ancestor.</summary>
    public static async Task<IResult> DecisionAsync(string id, ExecutionCommands commands, CancellationToken ct)
    {
        if (!ExecutionId.TryParse(id, out var executionId))
        {
            return LedgerProblems.OutOfRange($"'{AppendEndpoints.Printable(id)}' is not an execution id (1 to 128 characters of [A-Za-z0-9._:-]).");
        }

        if (await commands.ClearanceAsync(executionId, ct).ConfigureAwait(false) is not { } clearance)
        {
            return LedgerProblems.NotFound($"Execution '{executionId}' has no events.");
        }

        return TypedResults.Ok(new DecisionResponse(
            clearance.Allowed, clearance.Status.ToWireName(), clearance.Phase.ToWireName(), clearance.Reason?.Code,
            clearance.ValidUntil?.UtcDateTime.ToString(Domain.Log.LedgerEntry.RecordedAtFormat, System.Globalization.CultureInfo.InvariantCulture)));
    }
}

/// <summary>The decision answer: <c>{"allowed","status","phase","reason","validUntil"}</c>; <c>validUntil</c> is RFC 3339 UTC with six fractional digits.</summary>
public sealed record DecisionResponse(bool Allowed, string Status, string Phase, string? Reason, string? ValidUntil);
