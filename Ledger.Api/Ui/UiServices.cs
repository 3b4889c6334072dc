using System.Reflection;
using Ledger.Api.Auth;
using Ledger.Domain.Access;
using Microsoft.AspNetCore.Authentication;

namespace Ledger.Api.Ui;

/// <summary>
/// The compliance UI (DESIGN §9): server-rendered Razor Pages under <c>/ui</c>, read-only, signed in with a viewer or
/// admin token kept in an HttpOnly, SameSite=Strict cookie; every form post is checked against an antiforgery token.
/// </summary>
public static class UiServices
{
    /// <summary>The authorization policy of every UI page but the sign-in page.</summary>
    public const string ReaderPolicy = "ui-reader";

    private static readonly Dictionary<string, string> Assets = new(StringComparer.Ordinal)
    {
        ["ui.css"] = "text/css; charset=utf-8",
        ["ui.js"] = "text/javascript; charset=utf-8",
    };

    public static IServiceCollection AddComplianceUi(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Ui/Pages";
            o.Conventions.AuthorizeFolder("/", ReaderPolicy);
            o.Conventions.AllowAnonymousToPage("/SignIn");
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "ledger-ui-antiforgery";
            o.Cookie.Path = "/ui";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__csrf";
        });
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, UiCookieAuthenticationHandler>(UiCookieAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(ReaderPolicy, p => p
            .AddAuthenticationSchemes(UiCookieAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(BearerAuthenticationHandler.RoleClaim, TokenEntry.ViewerRole, TokenEntry.AdminRole));
        return services;
    }

    /// <summary>
    /// The UI's Content-Security-Policy: its own stylesheet and script only (no inline script or style, so an injected
    /// one never runs), fetches only to itself (the live refresh), forms only to itself, never in a frame.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Sets the UI's security headers on every answer under <c>/ui</c> (redirects and errors included).</summary>
    public static IApplicationBuilder UseComplianceUiHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/ui", StringComparison.Ordinal))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
            }

            return next(context);
        });

    public static IEndpointRouteBuilder MapComplianceUi(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        app.MapGet("/ui/assets/{name}", Asset).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    /// <summary>The UI's stylesheet and script, embedded in the assembly (no static file folder to deploy).</summary>
    private static IResult Asset(string name, HttpContext http)
    {
        if (!Assets.TryGetValue(name, out var contentType)
            || Assembly.GetExecutingAssembly().GetManifestResourceStream("Ledger.Api.Ui.Assets." + name) is not { } stream)
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Stream(stream, contentType);
    }
}
