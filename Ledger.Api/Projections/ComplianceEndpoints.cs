using Ledger.Api.Append;
using Ledger.Api.Problems;
using Ledger.Application.Executions;
using Ledger.Domain.Parameters;
using Ledger.Projections.Engine;
using Ledger.Projections.Reading;

namespace Ledger.Api.Projections;

/// <summary><c>GET /v1/domains/{domain}/compliance</c>: what a domain's compliance team watches.</summary>
public static class ComplianceEndpoints
{
    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(31);

    public static IEndpointRouteBuilder MapComplianceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/domains").WithTags("Compliance").RequireAuthorization()
            .MapGet("/{domain}/compliance", GetAsync).WithName("GetDomainCompliance")
            .WithSummary("Per-domain compliance view: executions by status, denied and halted by reason, running, verification and intents overdue, authorizations about to expire (within, an ISO 8601 duration, default PT1H)")
            .Produces<ComplianceView>().ProducesProblem(400).ProducesProblem(401);
        return app;
    }

    public static async Task<IResult> GetAsync(string domain, string? within, int? limit, ProjectionEngine engine, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var window = TimeSpan.FromHours(1);
        if (within is not null && (!IsoDuration.TryParse(within, out window) || window > MaxWindow))
        {
            errors["within"] = [$"must be a positive ISO 8601 duration (FORMAT §6.1) such as PT1H, at most P31D, found '{AppendEndpoints.Printable(within)}'"];
        }

        var size = limit ?? 20;
        if (size is < 1 or > ReadModels.MaxPageSize)
        {
            errors["limit"] = [$"must be between 1 and {ReadModels.MaxPageSize}"];
        }

        if (string.IsNullOrWhiteSpace(domain) || domain.Length > 256)
        {
            errors["domain"] = [$"'{AppendEndpoints.Printable(domain)}' is not a domain"];
        }

        if (errors.Count > 0)
        {
            return LedgerProblems.Invalid(errors);
        }

        return TypedResults.Ok(await engine.ReadModels.GetComplianceAsync(domain, time.GetUtcNow(), window, size, ct).ConfigureAwait(false));
    }
}
