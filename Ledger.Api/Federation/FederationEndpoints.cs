using System.Globalization;
using Ledger.Api.Append;
using Ledger.Api.Problems;
using Ledger.Application.Federation;
using Ledger.Application.Hosting;
using Ledger.Application.Jobs;
using Ledger.Domain.Executions;

namespace Ledger.Api.Federation;

/// <summary>
/// <c>/v1/federation</c>: <c>POST /notify</c>, a peer (or anyone) says something changed and the follow job pulls at once;
/// <c>GET /children</c>, the executions here, open or ended, whose parent is on a given ledger (what that ledger's link job asks about).
/// </summary>
public static class FederationEndpoints
{
    // Positions stay within JSON's exact integers (docs/FORMAT.md).
    private const long MaxPosition = (1L << 53) - 1;

    public static IEndpointRouteBuilder MapFederationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/federation").WithTags("Federation");
        group.MapPost("/notify", Notify)
            .WithName("NotifyFederation")
            .WithSummary("Wakes the follow job: it pulls and verifies the attestations of every remote parent now. The body is not read.")
            .Produces(202);
        group.MapGet("/children", ChildrenAsync)
            .WithName("ListFederationChildren")
            .WithSummary("The executions here, open or ended, whose parent is on the ledger `origin`, from the execution record, in the order "
                + "they came to be (by first position), paged by that position. A hint for that ledger, which shows each one only once its "
                + "attestation verifies.")
            .Produces<ChildListing>()
            .ProducesProblem(400);
        return app;
    }

    /// <summary>
    /// Unauthenticated on purpose: it trusts nothing it is sent (the body is never read), it only makes the follow job
    /// pull now what it would pull on its next interval, and every answer it pulls is verified against configured keys.
    /// Wake-ups closer together than one second are coalesced.
    /// </summary>
    public static IResult Notify(FollowJob follow)
    {
        follow.Notify();
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>
    /// Public, like the attestations the listed executions are proven with: it names executions, and the asking ledger
    /// believes none of them before pulling and verifying its attestation.
    /// </summary>
    public static async Task<IResult> ChildrenAsync([AsParameters] ChildrenQuery query, LedgerNode node, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(query.Origin) || query.Origin.Length > 256 || query.Origin.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '+'))
        {
            return LedgerProblems.OutOfRange("origin must be a ledger origin (1 to 256 characters, no spaces, control characters or '+').");
        }

        var after = -1L;
        if (query.After is not null
            && (!long.TryParse(query.After, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after > MaxPosition))
        {
            return LedgerProblems.OutOfRange($"after must be a log position (0 to {MaxPosition}, the previous page's next), not '{AppendEndpoints.Printable(query.After)}'.");
        }

        var limit = query.Limit ?? RemoteChildren.PageSize;
        if (limit is < 1 or > RemoteChildren.PageSize)
        {
            return LedgerProblems.OutOfRange($"limit must be 1 to {RemoteChildren.PageSize}, not {limit}.");
        }

        var children = await node.Store.ListChildrenOfAsync(query.Origin, after, limit + 1, ct).ConfigureAwait(false);
        var page = children.Take(limit).Select(c => new ChildLink(c.ExecutionId.Value, c.Parent.ExecutionId.Value, c.Position)).ToList();
        return TypedResults.Ok(new ChildListing(node.Origin, page, children.Count > limit ? page[^1].Position : null));
    }
}

/// <summary>The query of <c>GET /v1/federation/children</c>.</summary>
/// <param name="Origin">The parents' ledger.</param>
/// <param name="After">Start after this first position (the previous page's <c>next</c>, or the last <c>position</c> seen).</param>
/// <param name="Limit">Page size, 1 to 500 (500).</param>
public sealed record ChildrenQuery(string? Origin, string? After, int? Limit);

/// <summary>One page of <c>GET /v1/federation/children</c>.</summary>
/// <param name="Ledger">This ledger's origin.</param>
/// <param name="Children">Executions here, open or ended, whose parent is on the asked ledger, by first position.</param>
/// <param name="Next">Pass as <c>after</c> for the next page (the last child's position); null on the last page.</param>
public sealed record ChildListing(string Ledger, IReadOnlyList<ChildLink> Children, long? Next);

/// <summary>An execution here, its parent's id on the asking ledger, and its first position here (the listing's cursor).</summary>
public sealed record ChildLink(string ExecutionId, string ParentExecutionId, long Position);
