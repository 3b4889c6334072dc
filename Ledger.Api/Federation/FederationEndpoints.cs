using Ledger.Application.Jobs;

namespace Ledger.Api.Federation;

/// <summary><c>POST /v1/federation/notify</c>: a peer (or anyone) says something changed; the follow job pulls at once.</summary>
public static class FederationEndpoints
{
    public static IEndpointRouteBuilder MapFederationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/federation").WithTags("Federation");
        group.MapPost("/notify", Notify)
            .WithName("NotifyFederation")
            .WithSummary("Wakes the follow job: it pulls and verifies the attestations of every remote parent now. The body is not read.")
            .Produces(202);
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
}
