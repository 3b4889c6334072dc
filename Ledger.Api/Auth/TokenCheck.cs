using System.Security.Claims;
using Ledger.Application.Registry;
using Ledger.Domain.Access;

namespace Ledger.Api.Auth;

/// <summary>
/// The one check of a presented token, for every way one arrives (the bearer header, the UI's cookie): it must have
/// the token form, exist, match in constant time, not be revoked or expired, and an emitter token's emitter must be
/// registered and not revoked.
/// </summary>
public static class TokenCheck
{
    /// <summary>The token entry, or why the presented text is not a valid token now (naming it <paramref name="noun"/>).</summary>
    public static async Task<(TokenEntry? Token, string? Failure)> CheckAsync(
        string? presented, string noun, LedgerRegistry registry, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(time);
        if (!ApiToken.TryParse(presented?.Trim(), out var tokenId, out var secret))
        {
            return (null, $"The {noun} is not a ledger token.");
        }

        var asked = time.GetTimestamp();
        var snapshot = await registry.GetAsync(ct).ConfigureAwait(false);
        if (!Known(snapshot, tokenId))
        {
            // Minted or registered a moment ago, on another node or by `ledger admin token`: look once more, as of now.
            snapshot = await registry.GetSinceAsync(asked, ct).ConfigureAwait(false);
        }

        var token = snapshot.Tokens.Find(tokenId);
        if (token is null || !ApiToken.SecretMatches(secret, token.SecretHash))
        {
            return (null, $"The {noun} is not known.");
        }

        if (token.IsRevoked)
        {
            return (null, $"The {noun} '{tokenId}' was revoked.");
        }

        if (token.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            return (null, $"The {noun} '{tokenId}' expired at {expires:O}.");
        }

        if (token.Role == TokenEntry.EmitterRole && !snapshot.Emitters.IsActive(token.Subject))
        {
            return (null, $"The emitter '{token.Subject}' of this token is not registered or was revoked.");
        }

        return (token, null);
    }

    private static bool Known(RegistrySnapshot snapshot, string tokenId) =>
        snapshot.Tokens.Find(tokenId) is { } token && (token.Role != TokenEntry.EmitterRole || snapshot.Emitters.IsActive(token.Subject));

    /// <summary>The principal a valid token authenticates: its subject, role and id as claims.</summary>
    public static ClaimsPrincipal Principal(TokenEntry token, string scheme)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, token.Subject),
                new Claim(BearerAuthenticationHandler.RoleClaim, token.Role),
                new Claim(BearerAuthenticationHandler.TokenIdClaim, token.TokenId),
            ],
            scheme));
    }
}
