using System.Globalization;
using System.Text;
using Ledger.Projections.Reading;
using Microsoft.AspNetCore.Html;

namespace Ledger.Api.Ui.Drawing;

/// <summary>
/// A lineage tree drawn server-side as SVG: one row per shown execution in depth-first order, one column (lane) per
/// cloud, each node coloured by status with its refusal reason, linked to its page, and a toggle that collapses or
/// opens its subtree (a link: the collapsed set lives in the URL, so it works without script). Large trees open
/// collapsed below <see cref="DefaultDepth"/>; the focused execution and search matches are always shown. Executions on
/// other ledgers (the root's remote parent above it, each node's children on peers right below it) are drawn as dashed
/// boxes marked with their ledger and attested status, without a link (their pages are on the other ledger).
/// </summary>
public sealed class LineageDrawing
{
    /// <summary>Trees larger than this open with subtrees below <see cref="DefaultDepth"/> collapsed.</summary>
    public const int CollapseAbove = 150;

    /// <summary>The deepest level shown when a large tree opens.</summary>
    public const int DefaultDepth = 2;

    private const int RowHeight = 44;
    private const int BoxHeight = 34;
    private const int BoxWidth = 236;
    private const int Indent = 14;
    private const int MaxIndentLevels = 10;
    private const int HeaderHeight = 40;
    private const int ToggleRoom = 26;

    private readonly Dictionary<string, LineageTreeNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _parents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _descendants = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly HashSet<string> _matches;

    public LineageDrawing(LineageTree tree, string focusId, string? search, IReadOnlySet<string>? collapsed)
    {
        ArgumentNullException.ThrowIfNull(tree);
        Tree = tree;
        FocusId = focusId;
        Search = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        Count(tree.Root, null);
        Matches = Search is null ? [] : [.. _order.Where(id => IsMatch(_nodes[id].Execution, Search))];
        _matches = new HashSet<string>(Matches, StringComparer.Ordinal);
        var shut = collapsed is not null
            ? new HashSet<string>(collapsed.Where(_nodes.ContainsKey), StringComparer.Ordinal)
            : tree.Nodes > CollapseAbove
                ? new HashSet<string>(_order.Where(id => _nodes[id].Execution.Depth == DefaultDepth && _nodes[id].Children.Count > 0), StringComparer.Ordinal)
                : new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in Matches.Append(focusId).Where(_nodes.ContainsKey))
        {
            for (var at = id; _parents.TryGetValue(at, out var parent); at = parent)
            {
                shut.Remove(parent);
            }
        }

        Collapsed = shut;
        Visible = [.. Walk(tree.Root)];
        Clouds = [.. _order.Select(id => _nodes[id].Execution.Cloud ?? "(no cloud)").Distinct(StringComparer.Ordinal)];
        OnOtherLedgers = (tree.RemoteParent is null ? 0 : 1) + Visible.Where(n => !Collapsed.Contains(n.Execution.ExecutionId)).Sum(n => n.Links.Count);
    }

    /// <summary>How many executions on other ledgers are drawn (the remote parent and the shown nodes' children on peers).</summary>
    public int OnOtherLedgers { get; }

    public LineageTree Tree { get; }

    public string FocusId { get; }

    public string? Search { get; }

    /// <summary>Executions matching the search, in tree order.</summary>
    public IReadOnlyList<string> Matches { get; }

    /// <summary>Executions whose subtrees are collapsed.</summary>
    public IReadOnlySet<string> Collapsed { get; }

    /// <summary>Executions drawn, in row order.</summary>
    public IReadOnlyList<LineageTreeNode> Visible { get; }

    /// <summary>Clouds of the tree in order of first appearance: the lanes.</summary>
    public IReadOnlyList<string> Clouds { get; }

    /// <summary>The anchor of an execution's node in the drawing.</summary>
    public string Anchor(string id) => id == FocusId ? "focus" : "n-" + _index[id].ToString(CultureInfo.InvariantCulture);

    public ExecutionSummary Find(string id) => _nodes[id].Execution;

    /// <summary>Renders the SVG; <paramref name="toggle"/> gives the link that flips one node's collapsed state.</summary>
    public IHtmlContent Render(Func<string, string> toggle)
    {
        ArgumentNullException.ThrowIfNull(toggle);
        // A child on a peer is drawn one level below its parent here: the lane makes room for it.
        var maxDepth = (int)Math.Min(
            MaxIndentLevels,
            Visible.Count == 0 ? 0 : Visible.Max(n => n.Execution.Depth + (n.Links.Count > 0 && !Collapsed.Contains(n.Execution.ExecutionId) ? 1 : 0)));
        var laneWidth = ToggleRoom + BoxWidth + (Indent * maxDepth) + 24;
        var lanes = Clouds.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var width = Math.Max(lanes.Count, 1) * laneWidth;
        // Rows: the remote parent, then each shown node followed by its links (unless its subtree is collapsed).
        var drawn = new List<(LineageTreeNode? Node, LineageLink? Link, ExecutionSummary Anchor)>();
        if (Tree.RemoteParent is { } up)
        {
            drawn.Add((null, up, Tree.Root.Execution));
        }

        foreach (var node in Visible)
        {
            drawn.Add((node, null, node.Execution));
            if (!Collapsed.Contains(node.Execution.ExecutionId))
            {
                drawn.AddRange(node.Links.Select(l => ((LineageTreeNode?)null, (LineageLink?)l, node.Execution)));
            }
        }

        var height = HeaderHeight + (drawn.Count * RowHeight) + 8;
        var rows = drawn.Select((r, i) => (r.Node, i)).Where(x => x.Node is not null).ToDictionary(x => x.Node!.Execution.ExecutionId, x => x.i, StringComparer.Ordinal);
        (double X, double Y) At(ExecutionSummary lane, long depth, int row) => (
            (lanes[lane.Cloud ?? "(no cloud)"] * laneWidth) + ToggleRoom + 8 + (Indent * Math.Min(MaxIndentLevels, depth)),
            HeaderHeight + (row * RowHeight) + ((RowHeight - BoxHeight) / 2.0));
        (double X, double Y) Box(ExecutionSummary e) => At(e, e.Depth, rows[e.ExecutionId]);

        var svg = new StringBuilder();
        var onOthers = OnOtherLedgers == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", {OnOtherLedgers} on other ledgers");
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"lineage\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"group\" aria-label=\"Lineage tree of {Esc(Tree.RootId)}: {Tree.Nodes} executions, {Visible.Count} shown{onOthers}, lanes by cloud\" xmlns=\"http://www.w3.org/2000/svg\">");
        foreach (var (cloud, i) in lanes)
        {
            var members = _order.Count(id => (_nodes[id].Execution.Cloud ?? "(no cloud)") == cloud);
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"lane lane-{i % 2}\" x=\"{i * laneWidth}\" y=\"0\" width=\"{laneWidth}\" height=\"{height}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"lane-title\" x=\"{(i * laneWidth) + 12}\" y=\"24\">{Esc(cloud)} <tspan class=\"lane-count\">· {members} {(members == 1 ? "execution" : "executions")}</tspan></text>");
        }

        foreach (var node in Visible.Skip(1))
        {
            var e = node.Execution;
            if (!_parents.TryGetValue(e.ExecutionId, out var parent) || !rows.ContainsKey(parent))
            {
                continue;
            }

            var (px, py) = Box(_nodes[parent].Execution);
            var (cx, cy) = Box(e);
            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"edge\" d=\"M{px + 12:0.#} {py + BoxHeight:0.#} V{cy + (BoxHeight / 2.0):0.#} H{cx:0.#}\"/>");
        }

        for (var row = 0; row < drawn.Count; row++)
        {
            if (drawn[row] is not { Link: { } link, Anchor: var anchor })
            {
                continue;
            }

            // The remote parent sits above the root, in its lane; a child on a peer one level below its parent here.
            var isParent = row == 0 && Tree.RemoteParent is not null;
            var (x, y) = At(anchor, isParent ? anchor.Depth : anchor.Depth + 1, row);
            var (ax, ay) = Box(anchor);
            if (isParent)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<path class=\"edge remote-edge\" d=\"M{x + 12:0.#} {y + BoxHeight:0.#} V{ay:0.#}\"/>");
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"<path class=\"edge remote-edge\" d=\"M{ax + 12:0.#} {ay + BoxHeight:0.#} V{y + (BoxHeight / 2.0):0.#} H{x:0.#}\"/>");
            }

            var status = link.Status ?? "none";
            var detail = "on " + link.Ledger + " · " + (link.Status ?? "not attested");
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"node remote st-{Esc(status)}\" data-ledger=\"{Esc(link.Ledger)}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<title>{Esc(link.ExecutionId)} on ledger {Esc(link.Ledger)}: {Esc(link.Status ?? "no attestation recorded")}{(link.CheckpointSize is { } size ? $", attested at checkpoint size {size}" : "")}</title>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"6\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"stripe\" x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"5\" height=\"{BoxHeight}\" rx=\"2\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"l1\" x=\"{x + 12:0.#}\" y=\"{y + 14:0.#}\">↗ {Esc(Cut(link.ExecutionId, 28))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"l2\" x=\"{x + 12:0.#}\" y=\"{y + 28:0.#}\">{Esc(Cut(detail, 34))}</text></g>");
        }

        foreach (var node in Visible)
        {
            var e = node.Execution;
            var (x, y) = Box(e);
            var id = e.ExecutionId;
            var classes = "node st-" + e.Status + (id == FocusId ? " focus" : "") + (_matches.Contains(id) ? " match" : "");
            var detail = e.Reason is null ? e.Status + " · " + e.Phase : e.Status + " · " + e.Reason;
            var hidden = Collapsed.Contains(id) ? _descendants[id] : 0;
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"{classes}\" id=\"{Anchor(id)}\">");
            // The link's accessible name is its visible text (the id, then status and reason), as on screen.
            svg.Append(CultureInfo.InvariantCulture, $"<a href=\"{Esc(UiHtml.Execution(id))}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"6\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"stripe\" x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"5\" height=\"{BoxHeight}\" rx=\"2\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"l1\" x=\"{x + 12:0.#}\" y=\"{y + 14:0.#}\">{Esc(Cut(id, 30))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"l2\" x=\"{x + 12:0.#}\" y=\"{y + 28:0.#}\">{Esc(Cut(detail, 30))}{(hidden > 0 ? $" · +{hidden}" : "")}</text></a>");
            if (node.Children.Count > 0)
            {
                var open = !Collapsed.Contains(id);
                var tx = x - 16;
                var ty = y + (BoxHeight / 2.0);
                svg.Append(CultureInfo.InvariantCulture, $"<a class=\"toggle\" href=\"{Esc(toggle(id))}\" aria-label=\"{(open ? "Collapse" : "Expand")} the {_descendants[id]} descendants of {Esc(id)}\">");
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{tx:0.#}\" cy=\"{ty:0.#}\" r=\"9\"/><text x=\"{tx:0.#}\" y=\"{ty + 4.5:0.#}\" text-anchor=\"middle\">{(open ? "−" : "+")}</text></a>");
            }

            svg.Append("</g>");
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static bool IsMatch(ExecutionSummary e, string q) =>
        new[] { e.ExecutionId, e.Actor, e.Action, e.Reason, e.Status, e.Cloud, e.OriginDomain }
            .Any(v => v is not null && v.Contains(q, StringComparison.OrdinalIgnoreCase));

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Esc(string text) => UiHtml.Encode(text);

    private int Count(LineageTreeNode node, string? parent)
    {
        var id = node.Execution.ExecutionId;
        _nodes[id] = node;
        _index[id] = _order.Count;
        _order.Add(id);
        if (parent is not null)
        {
            _parents[id] = parent;
        }

        var below = 0;
        foreach (var child in node.Children)
        {
            below += 1 + Count(child, id);
        }

        _descendants[id] = below;
        return below;
    }

    private IEnumerable<LineageTreeNode> Walk(LineageTreeNode root)
    {
        var stack = new Stack<LineageTreeNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            if (!Collapsed.Contains(node.Execution.ExecutionId))
            {
                for (var i = node.Children.Count - 1; i >= 0; i--)
                {
                    stack.Push(node.Children[i]);
                }
            }
        }
    }
}
