using Microsoft.Playwright;

namespace Ledger.Ui.Tests;

[Collection(UiTestGroup.Name)]
public sealed class EmptyAndNoScriptTests(UiFixture fixture) : UiTest(fixture)
{
    [Theory]
    [InlineData("/ui", "No executions yet")]
    [InlineData("/ui/executions", "The ledger has recorded no executions yet")]
    [InlineData("/ui/lineage", "No lineage trees yet")]
    [InlineData("/ui/peers", "No peers")]
    [InlineData("/ui/log", "")]
    [InlineData("/ui/emitters", "")]
    public async Task A_fresh_ledger_shows_empty_states(string path, string message)
    {
        var page = await SignedInAsync(Fixture.Empty);
        var response = await page.GotoAsync(path);

        response!.Status.ShouldBe(200);
        if (message.Length > 0)
        {
            (await page.Locator(".empty").First.InnerTextAsync()).ShouldContain(message);
        }

        await AccessibleAsync(page);
        await ScreenshotAsync(page, "empty" + path.Replace('/', '-'));
    }

    [Fact]
    public async Task With_script_off_sign_in_filters_and_the_tree_still_work()
    {
        var page = await SignedInAsync(javaScript: false);
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Compliance dashboard");
        (await page.Locator("time").First.GetAttributeAsync("title"))!.ShouldEndWith("UTC");

        await page.GotoAsync("/ui/executions");
        await page.GetByLabel("Status").SelectOptionAsync("halted");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        page.Url.ShouldContain("status=halted");
        var first = page.Locator("table.list tbody tr").First;
        (await first.Locator("td").Nth(1).InnerTextAsync()).ShouldBe("halted");

        await first.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Lineage tree of") }).ClickAsync();
        (await page.Locator("svg.lineage g#focus").CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task The_keyboard_reaches_the_navigation_and_the_tree_nodes()
    {
        var page = await SignedInAsync();
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("document.activeElement.textContent")).ShouldBe("Skip to content");
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("document.activeElement.textContent")).ShouldContain("Governed Execution Ledger");
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("document.activeElement.textContent")).ShouldBe("Dashboard");
    }
}
