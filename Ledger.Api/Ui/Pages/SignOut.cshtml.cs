using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ledger.Api.Ui.Pages;

/// <summary>Sign-out: a form post (antiforgery-checked) that deletes the UI cookie.</summary>
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/ui");

    public IActionResult OnPost()
    {
        Response.Cookies.Delete(UiCookieAuthenticationHandler.CookieName, UiCookieAuthenticationHandler.CookieOptions(Request));
        return LocalRedirect("/ui/signin");
    }
}
