using System.Globalization;
using Ledger.Domain.Executions;
using Ledger.Projections.Engine;
using Ledger.Projections.Reading;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ledger.Api.Ui.Pages.Executions;

/// <summary>The filterable execution list: every filter and the cursor in the URL, so a view can be shared.</summary>
public sealed class IndexModel(ProjectionEngine engine) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Domain { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cloud { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Phase { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Since { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Until { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? EndedSince { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Root { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public ExecutionPage? Result { get; private set; }

    public List<string> Errors { get; } = [];

    public static IReadOnlyList<string> Phases { get; } = [.. Enum.GetValues<ExecutionPhase>().Select(p => p.ToWireName())];

    public static IReadOnlyList<string> Reasons { get; } = [.. Ledger.Domain.Executions.Reason.All.Select(r => r.Code)];

    public bool Filtered => new[] { Domain, Cloud, Status, Phase, Reason, Since, Until, EndedSince, Root }.Any(v => !string.IsNullOrEmpty(v));

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Domain = Clean(Domain);
        Cloud = Clean(Cloud);
        Status = Clean(Status);
        Phase = Clean(Phase);
        Reason = Clean(Reason);
        Root = Clean(Root);
        if (Status is not null && !UiHtml.Statuses.Contains(Status))
        {
            Errors.Add($"Status must be one of {string.Join(", ", UiHtml.Statuses)}, not '{Status}'.");
        }

        if (Phase is not null && !Phases.Contains(Phase))
        {
            Errors.Add($"Phase must be one of {string.Join(", ", Phases)}, not '{Phase}'.");
        }

        if (Reason is not null && !Reasons.Contains(Reason))
        {
            Errors.Add($"Reason must be one of {string.Join(", ", Reasons)}, not '{Reason}'.");
        }

        if (Domain?.Length > 256 || Cloud?.Length > 64 || Root?.Length > 128)
        {
            Errors.Add("A domain is at most 256 characters, a cloud 64 and an execution id 128.");
        }

        var since = Time("Created since", Since);
        var until = Time("Created before", Until);
        var endedSince = Time("Ended since", EndedSince);
        long? before = null;
        if (!string.IsNullOrEmpty(Cursor))
        {
            if (long.TryParse(Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            {
                before = position;
            }
            else
            {
                Errors.Add($"The page cursor '{Cursor}' is not one this list gave; start again from the first page.");
            }
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Result = await engine.ReadModels.ListExecutionsAsync(
            new ExecutionQuery
            {
                Domain = Domain, Cloud = Cloud, Status = Status, Phase = Phase, Reason = Reason, RootId = Root,
                Since = since, Until = until, EndedSince = endedSince, Before = before, Limit = PageSize,
            },
            ct).ConfigureAwait(false);
        return Page();
    }

    /// <summary>This list's link with the same filters and another cursor.</summary>
    public string WithCursor(string? cursor) => UiHtml.Link(
        "/ui/executions",
        ("domain", Domain), ("cloud", Cloud), ("status", Status), ("phase", Phase), ("reason", Reason),
        ("since", Since), ("until", Until), ("endedSince", EndedSince), ("root", Root), ("cursor", cursor));

    private DateTimeOffset? Time(string label, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // RFC 3339, or what a datetime-local field sends (read as UTC).
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            && text.Contains('T', StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        Errors.Add($"{label} must be a date and time such as 2025-01-31T12:00:00Z, not '{text}'.");
        return null;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
