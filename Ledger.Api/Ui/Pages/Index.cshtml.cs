using Ledger.Application.Hosting;
using Ledger.Projections.Engine;
using Ledger.Projections.Reading;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ledger.Api.Ui.Pages;

/// <summary>The dashboard of one domain and cloud (or all): counts by status, refusals over a window, deadlines, lag.</summary>
public sealed class IndexModel(ProjectionEngine engine, LedgerNode node, TimeProvider time) : PageModel
{
    /// <summary>The windows the refusal chart offers: name, label, bucket size, bucket count.</summary>
    public static readonly IReadOnlyList<(string Name, string Label, TimeSpan Bucket, int Buckets)> Windows =
    [
        ("day", "last 24 hours", TimeSpan.FromHours(1), 24),
        ("week", "last 7 days", TimeSpan.FromDays(1), 7),
        ("month", "last 30 days", TimeSpan.FromDays(1), 30),
    ];

    /// <summary>How far ahead "soon-expiring" looks.</summary>
    public static readonly TimeSpan ExpiringWithin = TimeSpan.FromHours(24);

    public DashboardView? View { get; private set; }

    public string? Error { get; private set; }

    public string Window { get; private set; } = "week";

    public string WindowLabel => Windows.First(w => w.Name == Window).Label;

    public ProjectionStatus? Projection { get; private set; }

    public DateTimeOffset? CheckpointAt { get; private set; }

    public long? CheckpointSize { get; private set; }

    public long LogSize { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? domain, string? cloud, string? window, CancellationToken ct)
    {
        Now = time.GetUtcNow();
        Window = window ?? "week";
        var chosen = Windows.Where(w => w.Name == Window).ToList();
        if (chosen.Count == 0 || domain?.Length > 256 || cloud?.Length > 64)
        {
            Window = "week";
            Error = chosen.Count == 0
                ? $"The window must be one of {string.Join(", ", Windows.Select(w => w.Name))}, not '{window}'."
                : "The domain (at most 256 characters) or cloud (at most 64) is too long.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var (_, _, bucket, buckets) = chosen[0];
        View = await engine.ReadModels.GetDashboardAsync(
            new ExecutionScope(Empty(domain), Empty(cloud)), Now, bucket, buckets, ExpiringWithin, 10, ct).ConfigureAwait(false);
        Projection = (await engine.GetStatusAsync(ct).ConfigureAwait(false)).FirstOrDefault(p => p.Name == "executions");
        LogSize = await node.Store.GetTreeSizeAsync(ct).ConfigureAwait(false);
        if (await node.Store.GetLatestCheckpointAsync(ct).ConfigureAwait(false) is { } latest)
        {
            CheckpointAt = latest.StoredAt;
            CheckpointSize = latest.Size;
        }

        return Page();
    }

    /// <summary>This dashboard's link with one scope value changed.</summary>
    public string With(string? domain = "", string? cloud = "", string? window = "") =>
        UiHtml.Link("/ui", ("domain", domain == "" ? View?.Scope.Domain : domain), ("cloud", cloud == "" ? View?.Scope.Cloud : cloud), ("window", window == "" ? Window : window));

    /// <summary>The executions list with this dashboard's scope and more filters.</summary>
    public string Executions(params (string Name, string? Value)[] filters) =>
        UiHtml.Link("/ui/executions", [("domain", View?.Scope.Domain), ("cloud", View?.Scope.Cloud), .. filters]);

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
