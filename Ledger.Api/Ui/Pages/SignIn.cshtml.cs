using Ledger.Api.Auth;
using Ledger.Application.Registry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ledger.Api.Ui.Pages;

/// <summary>The sign-in form: checks the token as the API would, accepts viewer and admin tokens, keeps it in the UI cookie.</summary>
public sealed class SignInModel(LedgerRegistry registry, TimeProvider time) : PageModel
{
    public string? Error { get; private set; }

    public bool Ended { get; private set; }

    public string ReturnUrl { get; private set; } = "/ui";

    public void OnGet(string? returnUrl, int? ended)
    {
        ReturnUrl = LocalReturn(returnUrl);
        Ended = ended == 1;
    }

    public async Task<IActionResult> OnPostAsync(string? token, string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = LocalReturn(returnUrl);
        if (string.IsNullOrWhiteSpace(token))
        {
            return Refuse("Enter a token.");
        }

        var (entry, failure) = await TokenCheck.CheckAsync(token, "token", registry, time, ct).ConfigureAwait(false);
        if (entry is null)
        {
            return Refuse(failure!);
        }

        if (!UiCookieAuthenticationHandler.MaySignIn(entry.Role))
        {
            return Refuse($"This is an {entry.Role} token. The compliance UI signs in with a viewer or admin token only.");
        }

        Response.Cookies.Append(UiCookieAuthenticationHandler.CookieName, token.Trim(), UiCookieAuthenticationHandler.CookieOptions(Request));
        return LocalRedirect(ReturnUrl);
    }

    /// <summary>Only a path of the UI itself: never another site, never a protocol-relative URL.</summary>
    private static string LocalReturn(string? url) =>
        url is not null && url.StartsWith("/ui", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal)
            ? url
            : "/ui";

    private PageResult Refuse(string error)
    {
        Error = error;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
