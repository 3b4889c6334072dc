using Ledger.Api.Ui.Drawing;
using Ledger.Domain.Executions;
using Ledger.Projections.Engine;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ledger.Api.Ui.Pages;

/// <summary>The lineage tree holding one execution, drawn as SVG; subtrees collapse and open by link, and a search marks nodes.</summary>
public sealed class LineageModel(ProjectionEngine engine) : PageModel
{
    /// <summary>The value of <c>collapsed</c> that means "nothing collapsed" (an empty value means "the default").</summary>
    public const string NoneCollapsed = "-";

    public string Id { get; private set; } = "";

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "collapsed")]
    public string? CollapsedText { get; set; }

    public LineageDrawing? Drawing { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        Id = id;
        if (!ExecutionId.IsValid(id))
        {
            return Fail(StatusCodes.Status400BadRequest, $"'{id}' is not an execution id (1 to 128 characters of A–Z a–z 0–9 . _ : -).");
        }

        if (Query?.Length > 128)
        {
            return Fail(StatusCodes.Status400BadRequest, "A search is at most 128 characters.");
        }

        var tree = await engine.ReadModels.GetLineageAsync(id, proofs: false, withEvents: false, ct).ConfigureAwait(false);
        if (tree is null)
        {
            return Fail(StatusCodes.Status404NotFound, $"The read models know no execution '{id}' (yet: they lag the log).");
        }

        IReadOnlySet<string>? collapsed = CollapsedText switch
        {
            null or "" => null,
            NoneCollapsed => new HashSet<string>(StringComparer.Ordinal),
            var text => new HashSet<string>(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal),
        };
        Drawing = new LineageDrawing(tree, id, Query, collapsed);
        return Page();
    }

    /// <summary>This page's link with <paramref name="node"/>'s subtree collapsed or opened.</summary>
    public string Toggle(string node)
    {
        var set = new SortedSet<string>(Drawing!.Collapsed, StringComparer.Ordinal);
        if (!set.Remove(node))
        {
            set.Add(node);
        }

        return Link(set.Count == 0 ? NoneCollapsed : string.Join(',', set)) + "#" + Drawing.Anchor(node);
    }

    /// <summary>This page's link with another collapsed set (null: the default view).</summary>
    public string Link(string? collapsed) =>
        UiHtml.Link("/ui/lineage/" + Uri.EscapeDataString(Id), ("q", Query), ("collapsed", collapsed));

    private PageResult Fail(int status, string error)
    {
        Error = error;
        Response.StatusCode = status;
        return Page();
    }
}
