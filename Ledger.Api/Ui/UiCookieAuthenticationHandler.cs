using System.Text.Encodings.Web;
using Ledger.Api.Auth;
using Ledger.Application.Registry;
using Ledger.Domain.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Ledger.Api.Ui;

/// <summary>
/// Authenticates the compliance UI's requests by the token kept in its HttpOnly, SameSite=Strict cookie, checked on
/// every request exactly as a bearer token is (<see cref="TokenCheck"/>): a revoked or expired token ends the session at
/// once. Only viewer and admin tokens sign in. A request without a valid cookie is sent to the sign-in page.
/// </summary>
public sealed class UiCookieAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, LedgerRegistry registry, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "LedgerUi";
    public const string CookieName = "ledger-ui";
    private const string EndedKey = "ledger:ui-session-ended";

    /// <summary>Whether a token of <paramref name="role"/> may sign in to the UI.</summary>
    public static bool MaySignIn(string role) => role is TokenEntry.ViewerRole or TokenEntry.AdminRole;

    /// <summary>The cookie that keeps the token: HttpOnly, SameSite=Strict, only for /ui, Secure on HTTPS, gone when the browser closes.</summary>
    public static CookieOptions CookieOptions(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = request.IsHttps, Path = "/ui", IsEssential = true };
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(CookieName, out var presented) || string.IsNullOrEmpty(presented))
        {
            return AuthenticateResult.NoResult();
        }

        var (token, failure) = await TokenCheck.CheckAsync(presented, "token", registry, time, Context.RequestAborted).ConfigureAwait(false);
        if (token is null || !MaySignIn(token.Role))
        {
            Context.Items[EndedKey] = true;
            return AuthenticateResult.Fail(failure ?? "Not a viewer or admin token.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(TokenCheck.Principal(token, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var ended = Context.Items.ContainsKey(EndedKey);
        if (ended)
        {
            Response.Cookies.Delete(CookieName, CookieOptions(Request));
        }

        var returnUrl = Request.PathBase + Request.Path + Request.QueryString;
        Response.Redirect("/ui/signin?returnUrl=" + Uri.EscapeDataString(returnUrl) + (ended ? "&ended=1" : ""));
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.Redirect("/ui/signin?ended=1");
        return Task.CompletedTask;
    }
}
