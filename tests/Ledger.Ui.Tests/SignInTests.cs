using System.Net;
using Microsoft.Playwright;

namespace Ledger.Ui.Tests;

[Collection(UiTestGroup.Name)]
public sealed class SignInTests(UiFixture fixture) : UiTest(fixture)
{
    [Theory]
    [InlineData("/ui")]
    [InlineData("/ui/executions?status=halted")]
    [InlineData("/ui/log")]
    [InlineData("/ui/lineage")]
    public async Task Without_a_token_every_page_sends_the_browser_to_sign_in(string path)
    {
        var page = await NewPageAsync();
        var response = await page.GotoAsync(path);

        page.Url.ShouldContain("/ui/signin?returnUrl=");
        response!.Status.ShouldBe(200);
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Sign in");
        (await page.Locator("nav[aria-label=Main]").CountAsync()).ShouldBe(0);
        await ScreenshotAsync(page, "signin");
    }

    [Fact]
    public async Task A_viewer_signs_in_returns_to_the_page_asked_for_and_signs_out()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/ui/executions?status=halted");
        await page.GetByLabel("Token").FillAsync(Full.ViewerToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.WaitForURLAsync("**/ui/executions?status=halted");
        (await page.Locator("header").InnerTextAsync()).ShouldContain("compliance-team");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "ledger-ui");
        cookie.HttpOnly.ShouldBeTrue();
        cookie.SameSite.ShouldBe(SameSiteAttribute.Strict);
        cookie.Path.ShouldBe("/ui");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/ui/signin");
        (await page.Context.CookiesAsync()).ShouldNotContain(c => c.Name == "ledger-ui");
        await page.GotoAsync("/ui");
        page.Url.ShouldContain("/ui/signin");
    }

    [Fact]
    public async Task The_admin_token_signs_in_too()
    {
        var page = await SignedInAsync(token: Full.AdminToken);
        (await page.Locator("header").InnerTextAsync()).ShouldContain("(admin)");
    }

    [Theory]
    [InlineData("emitter", "This is an emitter token")]
    [InlineData("garbage", "not a ledger token")]
    [InlineData("unknown", "not known")]
    public async Task A_token_that_may_not_read_is_refused_with_a_reason(string kind, string message)
    {
        var token = kind switch
        {
            "emitter" => Full.DevToken,
            "garbage" => "not-a-token",
            _ => "glt_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        };
        var page = await NewPageAsync();
        await page.GotoAsync("/ui/signin");
        await page.GetByLabel("Token").FillAsync(token);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(), r => r.Request.Method == "POST");

        response.Status.ShouldBe(401);
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain(message);
        (await page.Context.CookiesAsync()).ShouldNotContain(c => c.Name == "ledger-ui");
        await AccessibleAsync(page);
        await ScreenshotAsync(page, "signin-refused");
    }

    [Fact]
    public async Task Revoking_a_viewer_token_ends_its_session_at_once()
    {
        var token = await Full.MintAsync("short-lived-viewer", "viewer");
        var page = await SignedInAsync(token: token);
        await Full.RevokeAsync(token);

        await page.GotoAsync("/ui/executions");

        page.Url.ShouldContain("/ui/signin");
        page.Url.ShouldContain("ended=1");
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain("session ended");
    }

    [Fact]
    public async Task A_sign_in_post_without_the_antiforgery_token_is_refused()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(Full.BaseUrl) };
        using var response = await http.PostAsync("/ui/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = Full.ViewerToken }));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).ShouldNotContain(c => c.StartsWith("ledger-ui=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bearer_token_alone_does_not_open_the_ui()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(Full.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Full.ViewerToken);
        using var response = await http.GetAsync("/ui");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldStartWith("/ui/signin");
    }

    [Fact]
    public async Task Sign_in_never_redirects_to_another_site()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/ui/signin?returnUrl=" + Uri.EscapeDataString("//evil.example/ui"));
        await page.GetByLabel("Token").FillAsync(Full.ViewerToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.WaitForURLAsync("**/ui");
        new Uri(page.Url).Host.ShouldBe("127.0.0.1");
    }
}
