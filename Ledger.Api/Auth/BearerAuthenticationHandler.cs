using System.Text.Encodings.Web;
using Ledger.Api.Problems;
using Ledger.Application.Registry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Ledger.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer glt_…</c> against the <c>$tokens</c> registry: the token must exist,
/// match in constant time, not be revoked or expired, and an emitter token's emitter must be registered and
/// not revoked. Challenges and refusals answer with problem details.
/// </summary>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, LedgerRegistry registry, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string RoleClaim = "ledger:role";
    public const string TokenIdClaim = "ledger:token";
    private const string FailureKey = "ledger:auth-failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Fail("No Authorization header; send 'Authorization: Bearer <token>'.");
        }

        // The scheme name is case-insensitive (RFC 9110 §11.1).
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Fail("The Authorization header must use the Bearer scheme.");
        }

        var (token, failure) = await TokenCheck.CheckAsync(header["Bearer ".Length..], "bearer token", registry, time, Context.RequestAborted).ConfigureAwait(false);
        if (token is null)
        {
            return Fail(failure!);
        }

        var principal = TokenCheck.Principal(token, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var detail = Context.Items.TryGetValue(FailureKey, out var f) && f is string s ? s : "A bearer token is required.";
        Response.Headers.WWWAuthenticate = "Bearer";
        await LedgerProblems.Unauthenticated(detail).ExecuteAsync(Context).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        LedgerProblems.Forbidden("This endpoint needs an admin token.").ExecuteAsync(Context);

    private AuthenticateResult Fail(string message)
    {
        Context.Items[FailureKey] = message;
        return AuthenticateResult.Fail(message);
    }
}
