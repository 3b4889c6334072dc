using Microsoft.Playwright;

namespace Ledger.Ui.Tests;

/// <summary>The questions a compliance officer asks every morning, each in at most three clicks from the dashboard.</summary>
[Collection(UiTestGroup.Name)]
public sealed class WalkTests(UiFixture fixture) : UiTest(fixture)
{
    [Fact]
    public async Task Which_executions_in_azure_were_halted_this_week_and_why_and_the_tree_one_belongs_to_in_three_clicks()
    {
        var page = await SignedInAsync();
        page.Url.ShouldEndWith("/ui");

        // 1: the azure dashboard (the refusal window is the last 7 days by default).
        await page.Locator("nav[aria-label=Cloud]").GetByRole(AriaRole.Link, new() { Name = "azure", Exact = true }).ClickAsync();
        page.Url.ShouldContain("cloud=azure");
        (await page.Locator("#h-refusals").InnerTextAsync()).ShouldContain("last 7 days");
        await ScreenshotAsync(page, "walk-1-azure");

        // 2: every azure execution halted this week, with its reason.
        await page.Locator("table.refusals tfoot").GetByRole(AriaRole.Link, new() { Name = "all halted" }).ClickAsync();
        page.Url.ShouldContain("cloud=azure");
        page.Url.ShouldContain("status=halted");
        page.Url.ShouldContain("endedSince=");
        var rows = page.Locator("table.list tbody tr");
        (await rows.CountAsync()).ShouldBeGreaterThan(0);
        foreach (var row in await rows.AllAsync())
        {
            (await row.Locator("td").Nth(1).InnerTextAsync()).ShouldBe("halted");
            (await row.Locator("td").Nth(3).InnerTextAsync()).ShouldNotBe("–");
            (await row.Locator("td").Nth(4).InnerTextAsync()).ShouldBe("azure");
        }

        await ScreenshotAsync(page, "walk-2-azure-halted");

        // 3: the tree the first of them belongs to.
        var id = await rows.First.Locator("td").First.Locator("a").InnerTextAsync();
        await rows.First.GetByRole(AriaRole.Link, new() { Name = "Lineage tree of " + id }).ClickAsync();
        await page.WaitForURLAsync($"**/ui/lineage/{id}#focus");
        (await page.Locator("svg.lineage g#focus").CountAsync()).ShouldBe(1);
        await ScreenshotAsync(page, "walk-3-tree");
    }
}
