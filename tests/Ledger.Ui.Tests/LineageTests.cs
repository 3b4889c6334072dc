using Ledger.Projections.Engine;
using Ledger.Projections.Reading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ledger.Ui.Tests;

[Collection(UiTestGroup.Name)]
public sealed class LineageTests(UiFixture fixture) : UiTest(fixture)
{
    private ReadModels ReadModels => Full.Services.GetRequiredService<ProjectionEngine>().ReadModels;

    private async Task<LineageTree> LargestTreeAsync()
    {
        var largest = (await ReadModels.ListLineagesAsync(null, 500)).Trees.OrderByDescending(t => t.Nodes).First();
        largest.Nodes.ShouldBeGreaterThan(2);
        return (await ReadModels.GetLineageAsync(largest.RootId, proofs: false))!;
    }

    [Fact]
    public async Task The_tree_is_drawn_by_cloud_with_a_linked_node_per_execution_and_clicks_open_them()
    {
        var tree = await LargestTreeAsync();
        var page = await SignedInAsync();
        await page.GotoAsync("/ui/lineage/" + tree.RootId);

        var nodes = page.Locator("svg.lineage g.node");
        (await nodes.CountAsync()).ShouldBe(tree.Nodes);
        (await page.Locator("svg.lineage g#focus").CountAsync()).ShouldBe(1);
        var halted = page.Locator("svg.lineage g.node.st-halted, svg.lineage g.node.st-denied");
        if (await halted.CountAsync() > 0)
        {
            (await halted.First.Locator("text.l2").TextContentAsync())!.ShouldNotEndWith(" · ");
        }

        await AccessibleAsync(page);
        await ReadOnlyAsync(page);
        await ScreenshotAsync(page, "lineage");

        var child = tree.Root.Children[0].Execution;
        await page.Locator($"svg.lineage a[href='/ui/executions/{child.ExecutionId}']").ClickAsync();
        await page.WaitForURLAsync("**/ui/executions/" + child.ExecutionId);
        (await page.Locator("h1").InnerTextAsync()).ShouldContain(child.ExecutionId);

        await page.GetByRole(AriaRole.Link, new() { Name = "Show the tree this execution belongs to" }).ClickAsync();
        await page.WaitForURLAsync($"**/ui/lineage/{child.ExecutionId}#focus");
        (await page.Locator("svg.lineage g#focus a").First.GetAttributeAsync("href")).ShouldBe("/ui/executions/" + child.ExecutionId);
    }

    [Fact]
    public async Task A_subtree_collapses_and_opens_by_link()
    {
        var tree = await LargestTreeAsync();
        var parent = tree.Root;
        var page = await SignedInAsync();
        await page.GotoAsync("/ui/lineage/" + tree.RootId);
        var before = await page.Locator("svg.lineage g.node").CountAsync();

        await page.Locator("svg.lineage a.toggle").First.ClickAsync();
        page.Url.ShouldContain("collapsed=" + parent.Execution.ExecutionId);
        (await page.Locator("svg.lineage g.node").CountAsync()).ShouldBe(1);
        (await page.Locator("svg.lineage g.node text.l2").TextContentAsync())!.ShouldContain($"+{tree.Nodes - 1}");

        await page.Locator("svg.lineage a.toggle").First.ClickAsync();
        (await page.Locator("svg.lineage g.node").CountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Search_marks_the_matching_nodes_and_lists_links_to_them()
    {
        var tree = await LargestTreeAsync();
        var target = tree.Root.Children[^1].Execution.ExecutionId;
        var page = await SignedInAsync();
        await page.GotoAsync("/ui/lineage/" + tree.RootId);
        await page.GetByLabel("Find in this tree").FillAsync(target);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();

        page.Url.ShouldContain("q=" + Uri.EscapeDataString(target));
        (await page.Locator("svg.lineage g.node.match").CountAsync()).ShouldBeGreaterThanOrEqualTo(1);
        await page.Locator(".matches a", new() { HasTextString = target }).First.ClickAsync();
        page.Url.ShouldContain("#n-");
        await ScreenshotAsync(page, "lineage-search");
    }

    [Fact]
    public async Task A_child_on_another_ledger_is_drawn_as_a_dashed_box_with_its_ledger_and_attested_status()
    {
        // A small tree (not the largest, which the other tests count), its first child linked to an execution on a peer.
        var summary = (await ReadModels.ListLineagesAsync(null, 500)).Trees.Where(t => t.Nodes >= 2).OrderBy(t => t.Nodes).First();
        var tree = (await ReadModels.GetLineageAsync(summary.RootId, proofs: false))!;
        var parent = tree.Root.Children[0].Execution.ExecutionId;
        await ReadModels.RecordRemoteLinksAsync([(parent, new LineageLink("c.example/ledger", "ui-remote-child", "running", DateTimeOffset.UtcNow, 12, "sha256:" + new string('a', 64)))]);

        var page = await SignedInAsync();
        await page.GotoAsync("/ui/lineage/" + tree.RootId);
        var remote = page.Locator("svg.lineage g.node.remote");
        (await remote.CountAsync()).ShouldBe(1);
        (await remote.GetAttributeAsync("data-ledger")).ShouldBe("c.example/ledger");
        (await remote.Locator("text.l2").TextContentAsync()).ShouldBe("on c.example/ledger · running");
        (await remote.Locator("a").CountAsync()).ShouldBe(0, "its page is on the other ledger");
        (await page.Locator("svg.lineage g.node:not(.remote)").CountAsync()).ShouldBe(tree.Nodes);
        (await page.Locator("ul.legend").InnerTextAsync()).ShouldContain("on another ledger");
        await AccessibleAsync(page);
        await ScreenshotAsync(page, "lineage-links");
    }

    [Fact]
    public async Task The_lineage_index_lists_trees_and_opens_one_by_id()
    {
        var tree = await LargestTreeAsync();
        var page = await SignedInAsync();
        await page.GotoAsync("/ui/lineage");
        (await page.Locator("table.list tbody tr").CountAsync()).ShouldBe(50);
        await AccessibleAsync(page);
        await ScreenshotAsync(page, "lineage-index");

        await page.GetByLabel("Execution id").FillAsync(tree.Root.Children[0].Execution.ExecutionId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show its tree" }).ClickAsync();
        await page.WaitForURLAsync("**/ui/lineage/" + tree.Root.Children[0].Execution.ExecutionId + "#focus");
    }
}
