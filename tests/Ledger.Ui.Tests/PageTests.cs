using System.Text.RegularExpressions;
using Ledger.Projections.Engine;
using Ledger.Projections.Reading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ledger.Ui.Tests;

/// <summary>Every page on the generated multi-cloud workload: content, accessibility, read-only, screenshots.</summary>
[Collection(UiTestGroup.Name)]
public sealed partial class PageTests(UiFixture fixture) : UiTest(fixture)
{
    private ReadModels ReadModels => Full.Services.GetRequiredService<ProjectionEngine>().ReadModels;

    [Fact]
    public async Task The_dashboard_counts_by_status_and_cloud_and_charts_refusals()
    {
        var page = await SignedInAsync();
        var all = await ReadModels.ListExecutionsAsync(new ExecutionQuery { Status = "halted", Limit = 500 });

        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Compliance dashboard");
        (await page.Locator("svg.chart rect").CountAsync()).ShouldBeGreaterThan(0);
        var table = page.Locator("table.grid-table");
        foreach (var cloud in new[] { "aws", "azure", "gcp", "edge" })
        {
            (await table.GetByRole(AriaRole.Link, new() { Name = cloud, Exact = true }).CountAsync()).ShouldBe(1);
        }

        var halted = await page.Locator("a.card", new() { HasText = "halted" }).Locator(".num").InnerTextAsync();
        long.Parse(halted.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(all.Items.Count);
        (await page.Locator("text=projection lag").CountAsync()).ShouldBe(1);
        (await page.Locator("text=checkpoint age").CountAsync()).ShouldBe(1);
        (await page.Locator("time").First.GetAttributeAsync("title"))!.ShouldContain("your local time");
        await AccessibleAsync(page);
        await ReadOnlyAsync(page);
        await ScreenshotAsync(page, "dashboard");

        foreach (var window in new[] { "day", "month" })
        {
            await page.GetByRole(AriaRole.Link, new() { Name = window == "day" ? "last 24 hours" : "last 30 days" }).First.ClickAsync();
            page.Url.ShouldContain("window=" + window);
            (await page.Locator("h2#h-refusals").InnerTextAsync()).ShouldContain(window == "day" ? "24 hours" : "30 days");
        }

        await page.GotoAsync("/ui?window=year");
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("window must be one of day, week, month");
    }

    [Fact]
    public async Task The_dashboard_of_one_domain_counts_only_its_executions()
    {
        var page = await SignedInAsync();
        await page.GetByLabel("Domain").SelectOptionAsync("gcp.europe-west1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();

        page.Url.ShouldContain("domain=gcp.europe-west1");
        var view = await ReadModels.GetComplianceAsync("gcp.europe-west1", Full.Clock.GetUtcNow(), TimeSpan.FromHours(1), 5);
        var total = await page.Locator("a.card", new() { HasText = "executions" }).First.Locator(".num").InnerTextAsync();
        total.Replace(",", "", StringComparison.Ordinal).ShouldBe(view.Statuses.Values.Sum().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ScreenshotAsync(page, "dashboard-domain");
    }

    [Fact]
    public async Task The_execution_list_filters_are_kept_in_the_url_and_every_row_matches()
    {
        var page = await SignedInAsync();
        await page.GotoAsync("/ui/executions");
        await page.GetByLabel("Status").SelectOptionAsync("denied");
        await page.GetByLabel("Cloud").FillAsync("aws");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        page.Url.ShouldContain("status=denied");
        page.Url.ShouldContain("cloud=aws");
        var rows = page.Locator("table.list tbody tr");
        (await rows.CountAsync()).ShouldBeGreaterThan(0);
        foreach (var row in await rows.AllAsync())
        {
            (await row.Locator("td").Nth(1).InnerTextAsync()).ShouldBe("denied");
            (await row.Locator("td").Nth(4).InnerTextAsync()).ShouldBe("aws");
            (await row.Locator("td").Nth(3).InnerTextAsync()).ShouldNotBe("–");
        }

        // The same URL opened elsewhere shows the same view.
        var shared = await SignedInAsync();
        await shared.GotoAsync(page.Url);
        (await shared.Locator("table.list tbody tr").CountAsync()).ShouldBe(await rows.CountAsync());
        await AccessibleAsync(page);
        await ReadOnlyAsync(page);
        await ScreenshotAsync(page, "executions-filtered");
    }

    [Theory]
    [InlineData("status=paused", "Status must be one of")]
    [InlineData("reason=because", "Reason must be one of")]
    [InlineData("since=yesterday", "Created since must be a date and time")]
    [InlineData("cursor=abc", "page cursor 'abc'")]
    public async Task A_bad_filter_is_explained_not_failed(string query, string message)
    {
        var page = await SignedInAsync();
        var response = await page.GotoAsync("/ui/executions?" + query);

        response!.Status.ShouldBe(400);
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain(message);
    }

    [Fact]
    public async Task Paging_walks_the_list_with_a_cursor_and_back_to_the_first_page()
    {
        var page = await SignedInAsync();
        await page.GotoAsync("/ui/executions");
        var first = await page.Locator("table.list tbody tr td:first-child a").AllInnerTextsAsync();
        first.Count.ShouldBe(50);

        await page.GetByRole(AriaRole.Link, new() { Name = "Next page »" }).ClickAsync();
        page.Url.ShouldContain("cursor=");
        var second = await page.Locator("table.list tbody tr td:first-child a").AllInnerTextsAsync();
        second.Count.ShouldBe(50);
        second.Intersect(first).ShouldBeEmpty();
        var expected = await ReadModels.ListExecutionsAsync(new ExecutionQuery { Limit = 100 });
        second.ShouldBe(expected.Items.Skip(50).Select(e => e.ExecutionId).ToList());

        await page.GetByRole(AriaRole.Link, new() { Name = "« First page" }).ClickAsync();
        (await page.Locator("table.list tbody tr td:first-child a").AllInnerTextsAsync()).ShouldBe(first);
        await ScreenshotAsync(page, "executions");
    }

    [Fact]
    public async Task An_execution_page_shows_its_events_decision_and_lineage_and_its_receipt_downloads_and_verifies()
    {
        var tree = (await ReadModels.ListLineagesAsync(null, 500)).Trees.First(t => t.Nodes >= 3 && t.OpenNodes == 0);
        var lineage = (await ReadModels.GetLineageAsync(tree.RootId, proofs: false))!;
        var child = lineage.Root.Children[0].Execution;
        var page = await SignedInAsync();
        await page.GotoAsync("/ui/executions/" + child.ExecutionId);

        (await page.Locator("h1").InnerTextAsync()).ShouldContain(child.ExecutionId);
        (await page.Locator("#h-decision").CountAsync()).ShouldBe(1);
        (await page.Locator(".decision .verdict").InnerTextAsync()).ShouldBe("Not allowed to act");
        var parentLink = page.Locator("dd a", new() { HasText = tree.RootId }).First;
        (await parentLink.CountAsync()).ShouldBe(1);
        var events = page.Locator("section:has(#h-events) tbody tr");
        var detail = (await ReadModels.GetExecutionAsync(child.ExecutionId))!;
        (await events.CountAsync()).ShouldBe(detail.Events.Count);
        (await events.First.Locator("td").First.InnerTextAsync()).ShouldBe(detail.Events[0].Position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await events.First.Locator("code.hash").GetAttributeAsync("title")).ShouldBe(detail.Events[0].LeafHash);
        await AccessibleAsync(page);
        await ReadOnlyAsync(page);
        await ScreenshotAsync(page, "execution");

        var download = await page.RunAndWaitForDownloadAsync(() => events.First.GetByRole(AriaRole.Link, new() { Name = "Download the receipt" }).ClickAsync());
        download.SuggestedFilename.ShouldBe($"receipt-{detail.Events[0].Position}.tlog-proof");
        var file = Path.Combine(UiFixture.Screenshots, download.SuggestedFilename);
        await download.SaveAsAsync(file);
        var receipt = await File.ReadAllTextAsync(file);
        receipt.ShouldStartWith("c2sp.org/tlog-proof@v1\n");

        // The receipt check: the file uploaded verifies; the same text with its index changed does not.
        await page.GetByRole(AriaRole.Link, new() { Name = "log page" }).ClickAsync();
        await page.GetByLabel("…or a receipt file").SetInputFilesAsync(file);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check receipt" }).ClickAsync();
        var verdict = await page.Locator("#check-result .verdict").InnerTextAsync();
        verdict.ShouldContain($"Verified: position {detail.Events[0].Position} is in the log {Ledger.Projections.Tests.Workload.Workload.Origin}");
        await ScreenshotAsync(page, "receipt-verified");

        var tampered = IndexLine().Replace(receipt, m => "index " + (long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        tampered.ShouldNotBe(receipt);
        await page.GetByLabel("Receipt text").FillAsync(tampered);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Check receipt" }).ClickAsync(), r => r.Request.Method == "POST");
        response.Status.ShouldBe(422);
        (await page.Locator("#check-result").InnerTextAsync()).ShouldContain("Does NOT verify");
        await AccessibleAsync(page);
        await ScreenshotAsync(page, "receipt-tampered");

        await page.GetByLabel("Receipt text").FillAsync("hello");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check receipt" }).ClickAsync();
        (await page.Locator("#check-result").InnerTextAsync()).ShouldContain("receipt-malformed");
    }

    [Fact]
    public async Task The_log_page_lists_checkpoints_with_their_signatures()
    {
        var page = await SignedInAsync();
        await page.GotoAsync("/ui/log");
        var latest = await Full.Node.Store.GetLatestCheckpointAsync();

        var first = page.Locator("section:has(#h-checkpoints) tbody tr").First;
        (await first.Locator("td").First.InnerTextAsync()).ShouldBe(latest!.Size.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        (await first.InnerTextAsync()).ShouldContain(Convert.ToBase64String(latest.Root));
        (await first.Locator(".sigs li").InnerTextAsync()).ShouldContain("ledger");
        (await first.Locator(".sigs li").InnerTextAsync()).ShouldContain(Full.Node.Signer.Verifier.Name);
        await AccessibleAsync(page);
        await ReadOnlyAsync(page);
        await ScreenshotAsync(page, "log");
    }

    [Fact]
    public async Task The_emitters_page_shows_domains_keys_and_revocations()
    {
        var page = await SignedInAsync();
        await page.GotoAsync("/ui/emitters");

        var auditor = page.Locator("tr", new() { Has = page.Locator("th", new() { HasText = "auditor" }) });
        (await auditor.InnerTextAsync()).ShouldContain("revoked");
        (await auditor.InnerTextAsync()).ShouldContain("rotated");
        (await page.Locator("tr", new() { Has = page.Locator("th", new() { HasTextString = "emitter-azure" }) }).InnerTextAsync()).ShouldContain("azure.westeurope");
        await AccessibleAsync(page);
        await ReadOnlyAsync(page);
        await ScreenshotAsync(page, "emitters");
    }

    [Fact]
    public async Task The_peers_page_shows_its_empty_state()
    {
        var page = await SignedInAsync();
        await page.GotoAsync("/ui/peers");

        (await page.Locator(".empty").First.InnerTextAsync()).ShouldContain("No peers");
        await AccessibleAsync(page);
        await ScreenshotAsync(page, "peers");
    }

    [Fact]
    public async Task An_unknown_execution_is_a_clear_404_page()
    {
        var page = await SignedInAsync();
        var response = await page.GotoAsync("/ui/executions/no-such-execution");
        response!.Status.ShouldBe(404);
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("no execution 'no-such-execution'");

        response = await page.GotoAsync("/ui/lineage/bad%20id");
        response!.Status.ShouldBe(400);
        response = await page.GotoAsync("/ui/receipts/999999999");
        response!.Status.ShouldBe(404);
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("no entry at position 999999999");
    }

    [GeneratedRegex(@"(?m)^index (\d+)$")]
    private static partial Regex IndexLine();
}
