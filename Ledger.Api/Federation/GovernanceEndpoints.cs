using Ledger.Api.Executions;
using Ledger.Api.Problems;
using Ledger.Application.Federation;

namespace Ledger.Api.Federation;

/// <summary><c>GET /v1/governance/attestation</c>: the ledger's signed attestation of its <c>$governance</c> stream, for peers.</summary>
public static class GovernanceEndpoints
{
    public static IEndpointRouteBuilder MapGovernanceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/governance").WithTags("Federation");
        group.MapGet("/attestation", AttestationAsync)
            .WithName("GetGovernanceAttestation")
            .WithSummary("The ledger's signed attestation of its $governance stream (home domains, policy publications) under a checkpoint meeting its policy (FORMAT §10.6)")
            .Produces<string>(200, "text/plain")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(503);
        return app;
    }

    /// <summary>
    /// What a peer pulls to check a governance claim for a domain this ledger is home for (DESIGN §8.2): public, like the
    /// log it is made of. 404 when this ledger never recorded home domains.
    /// </summary>
    public static async Task<IResult> AttestationAsync([AsParameters] AttestationQuery query, AttestationService attestations, CancellationToken ct)
    {
        if (query.From is < 0)
        {
            return LedgerProblems.OutOfRange($"from must be a tree size (0 or more), not {query.From}.");
        }

        return await attestations.CreateGovernanceAsync(query.From, ct).ConfigureAwait(false) switch
        {
            AttestationAnswer.Attested a => TypedResults.Text(a.Text, "text/plain; charset=utf-8"),
            AttestationAnswer.NotFound n => LedgerProblems.NotFound(n.Detail),
            AttestationAnswer.Unavailable u => LedgerProblems.Unavailable(u.Detail),
            _ => throw new InvalidOperationException("Unknown attestation answer."),
        };
    }
}
