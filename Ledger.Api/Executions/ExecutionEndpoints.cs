using Ledger.Api.Append;
using Ledger.Api.Problems;
using Ledger.Application.Executions;
using Ledger.Application.Federation;
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
        group.MapGet("/{id}/attestation", AttestationAsync)
            .WithName("GetExecutionAttestation")
            .WithSummary("The ledger's signed attestation of the execution's stream under a checkpoint meeting its policy (FORMAT §10)")
            .Produces<string>(200, "text/plain")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(503);
        return app;
    }

    /// <summary>What a peer pulls to decide on, and follow, a remote parent (DESIGN §8.2): public, like the log it is made of.</summary>
    public static async Task<IResult> AttestationAsync(string id, [AsParameters] AttestationQuery query, AttestationService attestations, CancellationToken ct)
    {
        if (!ExecutionId.TryParse(id, out var executionId))
        {
            return LedgerProblems.OutOfRange($"'{AppendEndpoints.Printable(id)}' is not an execution id (1 to 128 characters of [A-Za-z0-9._:-]).");
        }

        if (query.From is < 0)
        {
            return LedgerProblems.OutOfRange($"from must be a tree size (0 or more), not {query.From}.");
        }

        return await attestations.CreateAsync(executionId, query.From, ct).ConfigureAwait(false) switch
        {
            AttestationAnswer.Attested a => TypedResults.Text(a.Text, "text/plain; charset=utf-8"),
            AttestationAnswer.NotFound n => LedgerProblems.NotFound(n.Detail),
            AttestationAnswer.Unavailable u => LedgerProblems.Unavailable(u.Detail),
            _ => throw new InvalidOperationException("Unknown attestation answer."),
        };
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

/// <summary>The query of <c>GET /v1/executions/{id}/attestation</c>: <c>from</c>, a tree size of this log the caller holds.</summary>
public sealed record AttestationQuery(long? From);

/// <summary>The decision answer: <c>{"allowed","status","phase","reason","validUntil"}</c>; <c>validUntil</c> is RFC 3339 UTC with six fractional digits.</summary>
public sealed record DecisionResponse(bool Allowed, string Status, string Phase, string? Reason, string? ValidUntil);
