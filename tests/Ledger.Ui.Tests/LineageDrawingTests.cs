using System.Globalization;
using Ledger.Api.Ui.Drawing;
using Ledger.Projections.Reading;

namespace Ledger.Ui.Tests;

/// <summary>The lineage picture of a 1,000-execution tree stays readable: it opens collapsed, and what is asked for is shown.</summary>
public sealed class LineageDrawingTests
{
    private static readonly string[] Clouds = ["aws", "azure", "gcp"];

    private static LineageTree Tree(int nodes, int seed = 3)
    {
        var random = new Random(seed);
        var parents = new int[nodes];
        var depth = new int[nodes];
        for (var i = 1; i < nodes; i++)
        {
            parents[i] = random.Next(i);
            depth[i] = depth[parents[i]] + 1;
        }

        string Id(int i) => "n" + i.ToString("D4", CultureInfo.InvariantCulture);
        LineageTreeNode Build(int i) => new(
            new ExecutionSummary
            {
                ExecutionId = Id(i), Status = i % 7 == 0 ? "halted" : "completed", Phase = "end", Reason = i % 7 == 0 ? "parent-halted" : null,
                RootId = Id(0), Depth = depth[i], Cloud = Clouds[i % 3], ParentId = i == 0 ? null : Id(parents[i]),
            },
            [],
            [.. Enumerable.Range(1, nodes - 1).Where(c => parents[c] == i).Select(Build)]);
        return new LineageTree(Id(0), nodes, null, false, null, null, null, Build(0), nodes * 7);
    }

    [Fact]
    public void A_tree_of_1000_opens_collapsed_below_the_default_depth()
    {
        var drawing = new LineageDrawing(Tree(1000), "n0000", null, null);

        drawing.Visible.Count.ShouldBeLessThan(200);
        drawing.Visible.ShouldAllBe(n => n.Execution.Depth <= LineageDrawing.DefaultDepth);
        drawing.Collapsed.Count.ShouldBeGreaterThan(0);
        var svg = drawing.Render(id => "/toggle/" + id).ToString()!;
        svg.Split("class=\"node ").Length.ShouldBe(drawing.Visible.Count + 1);
        drawing.Clouds.ShouldBe(["aws", "azure", "gcp"]);
    }

    [Fact]
    public void The_focused_execution_and_search_matches_are_shown_with_their_ancestors()
    {
        var tree = Tree(1000);
        var deepest = Flatten(tree.Root).MaxBy(n => n.Execution.Depth)!.Execution;
        deepest.Depth.ShouldBeGreaterThan(LineageDrawing.DefaultDepth);

        var focused = new LineageDrawing(tree, deepest.ExecutionId, null, null);
        focused.Visible.ShouldContain(n => n.Execution.ExecutionId == deepest.ExecutionId);
        focused.Render(id => id).ToString()!.ShouldContain("id=\"focus\"");

        var searched = new LineageDrawing(tree, "n0000", "n0999", null);
        searched.Matches.ShouldBe(["n0999"]);
        searched.Visible.ShouldContain(n => n.Execution.ExecutionId == "n0999");
    }

    [Fact]
    public void Collapsing_the_root_shows_it_alone_and_nothing_collapsed_shows_every_node()
    {
        var tree = Tree(1000);
        new LineageDrawing(tree, "n0000", null, new HashSet<string> { "n0000" }).Visible.Count.ShouldBe(1);
        new LineageDrawing(tree, "n0000", null, new HashSet<string>()).Visible.Count.ShouldBe(1000);
    }

    [Fact]
    public void Executions_on_other_ledgers_are_drawn_as_unlinked_boxes_marked_with_their_ledger_and_hidden_with_a_collapsed_parent()
    {
        var small = Tree(3);
        var child = small.Root.Children[0];
        var link = new LineageLink("c.example/ledger", "remote-child", "running", DateTimeOffset.UnixEpoch, 42, "sha256:00");
        var tree = small with
        {
            Root = small.Root with { Children = [child with { Links = [link] }, .. small.Root.Children.Skip(1)] },
            RemoteParent = new LineageLink("p.example/ledger", "remote-parent", null, null, null, null),
        };

        var drawing = new LineageDrawing(tree, "n0000", null, null);
        drawing.OnOtherLedgers.ShouldBe(2);
        var svg = System.Net.WebUtility.HtmlDecode(drawing.Render(id => "/toggle/" + id).ToString()!);
        svg.Split("class=\"node remote ").Length.ShouldBe(3);
        svg.Split("class=\"node ").Length.ShouldBe(tree.Nodes + 2 + 1);
        svg.ShouldContain("on c.example/ledger · running");
        svg.ShouldContain("on p.example/ledger · not attested");
        svg.ShouldContain("attested at checkpoint size 42");
        svg.ShouldContain("2 on other ledgers");
        svg.ShouldNotContain("/ui/executions/remote-");

        var shut = new LineageDrawing(tree, "n0000", null, new HashSet<string> { child.Execution.ExecutionId });
        shut.OnOtherLedgers.ShouldBe(1, "the collapsed node's child on a peer is hidden with its subtree");
        shut.Render(id => id).ToString()!.ShouldNotContain("remote-child");
    }

    private static IEnumerable<LineageTreeNode> Flatten(LineageTreeNode node) => node.Children.SelectMany(Flatten).Prepend(node);
}
