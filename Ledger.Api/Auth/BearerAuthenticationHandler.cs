using System.Security.Claims;
using System.Text.Encodings.Web;
using Ledger.Api.Problems;
using Ledger.Application.Registry;
using Ledger.Domain.Access;
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

        if (!ApiToken.TryParse(header["Bearer ".Length..].Trim(), out var tokenId, out var secret))
        {
            return Fail("The bearer token is not a ledger token.");
        }

        var snapshot = await registry.GetAsync(Context.RequestAborted).ConfigureAwait(false);
        var token = snapshot.Tokens.Find(tokenId);
        if (token is null || !ApiToken.SecretMatches(secret, token.SecretHash))
        {
            return Fail("The bearer token is not known.");
        }

        if (token.IsRevoked)
        {
            return Fail($"The bearer token '{tokenId}' was revoked.");
        }

        if (token.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            return Fail($"The bearer token '{tokenId}' expired at {expires:O}.");
        }

        if (token.Role == TokenEntry.EmitterRole && !snapshot.Emitters.IsActive(token.Subject))
        {
            return Fail($"The emitter '{token.Subject}' of this token is not registered or was revoked.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, token.Subject),
                new Claim(RoleClaim, token.Role),
                new Claim(TokenIdClaim, token.TokenId),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
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
