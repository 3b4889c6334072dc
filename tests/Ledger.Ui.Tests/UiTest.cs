using System.Text.Json;
using Microsoft.Playwright;

namespace Ledger.Ui.Tests;

/// <summary>Helpers of the browser tests: a signed-in page, screenshots, the accessibility check.</summary>
public abstract class UiTest(UiFixture fixture) : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    protected UiFixture Fixture { get; } = fixture;

    protected UiServer Full => Fixture.Full;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }

    /// <summary>A fresh browser context (its own cookies) on <paramref name="server"/>, with a wide window.</summary>
    protected async Task<IPage> NewPageAsync(UiServer? server = null, bool javaScript = true)
    {
        var context = await Fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (server ?? Full).BaseUrl,
            ViewportSize = new ViewportSize { Width = 1360, Height = 900 },
            JavaScriptEnabled = javaScript,
            AcceptDownloads = true,
            TimezoneId = "Europe/Berlin",
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(15_000);
        // Under the UI's Content-Security-Policy a script tag added to the page would not run: axe-core comes in
        // as an init script (the browser's own channel), with a listener that keeps every policy violation.
        await context.AddInitScriptAsync(script: "window.cspViolations = []; document.addEventListener('securitypolicyviolation', "
            + "e => window.cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));");
        await context.AddInitScriptAsync(scriptPath: Path.Combine(AppContext.BaseDirectory, "axe.min.js"));
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>A page signed in with <paramref name="token"/> (the viewer token by default), on the dashboard.</summary>
    protected async Task<IPage> SignedInAsync(UiServer? server = null, string? token = null, bool javaScript = true)
    {
        server ??= Full;
        var page = await NewPageAsync(server, javaScript);
        await page.GotoAsync("/ui/signin");
        await page.GetByLabel("Token").FillAsync(token ?? server.ViewerToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/ui");
        return page;
    }

    /// <summary>A full-page screenshot kept under the test output directory.</summary>
    protected static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(UiFixture.Screenshots, name + ".png"), FullPage = true });

    /// <summary>
    /// Runs axe-core (from the file the test ships) and fails on any serious or critical violation, or on anything
    /// the page's Content-Security-Policy blocked.
    /// </summary>
    protected static async Task AccessibleAsync(IPage page)
    {
        (await page.EvaluateAsync<string[]>("() => window.cspViolations")).ShouldBeEmpty($"{page.Url}: the Content-Security-Policy blocked something");
        var violations = await page.EvaluateAsync<JsonElement>(
            """
            async () => {
              const r = await axe.run(document, { resultTypes: ['violations'] });
              return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, target: JSON.stringify(v.nodes[0].target) }));
            }
            """);
        var serious = violations.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id")} ({v.GetProperty("impact")}): {v.GetProperty("help")} ×{v.GetProperty("nodes")} e.g. {v.GetProperty("target")}")
            .ToList();
        serious.ShouldBeEmpty($"{page.Url}: {string.Join("; ", serious)}");
    }

    /// <summary>Every form a page offers either reads (GET) or is one of the UI's two harmless posts.</summary>
    protected static async Task ReadOnlyAsync(IPage page)
    {
        foreach (var form in await page.Locator("form").AllAsync())
        {
            var method = (await form.GetAttributeAsync("method") ?? "get").ToLowerInvariant();
            var action = await form.GetAttributeAsync("action") ?? "";
            if (method == "post")
            {
                (action is "/ui/signout" or "" && (action == "/ui/signout" || page.Url.Contains("/ui/log", StringComparison.Ordinal) || page.Url.Contains("/ui/signin", StringComparison.Ordinal)))
                    .ShouldBeTrue($"{page.Url} offers a post to '{action}'");
            }
        }

        (await page.Locator("a[href*='/v1/admin'], form[action*='/v1/']").CountAsync()).ShouldBe(0);
    }
}
