using System.Globalization;
using Ledger.Projections.Engine;
using Ledger.Projections.Reading;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ledger.Api.Ui.Pages;

/// <summary>The lineage trees, newest first, with a box to open the tree of any execution id.</summary>
public sealed class LineageIndexModel(ProjectionEngine engine) : PageModel
{
    public const int PageSize = 50;

    public IReadOnlyList<LineageSummary> Trees { get; private set; } = [];

    public long? NextCursor { get; private set; }

    public string? Cursor { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? cursor, string? id, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(id))
        {
            return LocalRedirect(UiHtml.Lineage(id.Trim()));
        }

        Cursor = cursor;
        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            {
                Error = $"The page cursor '{cursor}' is not one this list gave; start again from the first page.";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }

            before = position;
        }

        (Trees, NextCursor) = await engine.ReadModels.ListLineagesAsync(before, PageSize, ct).ConfigureAwait(false);
        return Page();
    }
}
