using System.Globalization;
using System.Text;
using Ledger.Projections.Reading;
using Microsoft.AspNetCore.Html;

namespace Ledger.Api.Ui.Drawing;

/// <summary>
/// The dashboard's refusals over time: one stacked bar per bucket, a segment per reason, drawn server-side as SVG
/// (no script). The legend and the numbers are in the page's HTML table beside it, for screen readers.
/// </summary>
public static class RefusalChart
{
    /// <summary>Categorical colours (Okabe–Ito and Tableau hues darkened for contrast on white), one per reason in order of frequency.</summary>
    public static readonly IReadOnlyList<string> Palette =
    [
        "#c9190b", "#0550ae", "#9a4a00", "#1a7f37", "#6639ba", "#d4a72c", "#00727a", "#a3136f", "#57606a", "#4d5d00", "#4cc9f0", "#f08c8c",
        "#8c6d3f", "#7fb77e",
    ];

    private const int Width = 760;
    private const int Height = 240;
    private const int Left = 44;
    private const int Right = 12;
    private const int Top = 12;
    private const int Bottom = 36;

    /// <summary>The reasons of <paramref name="refusals"/>, most frequent first, each with its colour.</summary>
    public static IReadOnlyList<(string Reason, long Total, string Colour)> Reasons(IReadOnlyList<RefusalBucket> refusals)
    {
        ArgumentNullException.ThrowIfNull(refusals);
        return [.. refusals.GroupBy(r => r.Reason, StringComparer.Ordinal)
            .Select(g => (Reason: g.Key, Total: g.Sum(r => r.Executions)))
            .OrderByDescending(r => r.Total).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .Select((r, i) => (r.Reason, r.Total, Palette[i % Palette.Count]))];
    }

    public static IHtmlContent Render(DashboardView view, string caption)
    {
        ArgumentNullException.ThrowIfNull(view);
        var reasons = Reasons(view.Refusals);
        var colours = reasons.ToDictionary(r => r.Reason, r => r.Colour, StringComparer.Ordinal);
        var order = reasons.Select((r, i) => (r.Reason, i)).ToDictionary(r => r.Reason, r => r.i, StringComparer.Ordinal);
        var perBucket = new long[view.Buckets];
        foreach (var r in view.Refusals)
        {
            if (r.Bucket >= 0 && r.Bucket < view.Buckets)
            {
                perBucket[r.Bucket] += r.Executions;
            }
        }

        var max = Math.Max(1, perBucket.Max());
        var scale = NiceCeiling(max);
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var slot = (double)plotWidth / view.Buckets;
        var bar = Math.Max(2, slot * 0.7);
        var svg = new StringBuilder();
        var total = perBucket.Sum();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"chart-title\">{UiHtml.Encode(caption)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<desc id=\"chart-desc\">{total} refusals in {view.Buckets} buckets of {UiHtml.Duration(view.BucketSize)}; the table below lists them by reason.</desc>");
        for (var i = 0; i <= 4; i++)
        {
            var value = scale * i / 4;
            var y = Top + plotHeight - (plotHeight * i / 4.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" class=\"axis\">{value}</text>");
        }

        var labelEvery = Math.Max(1, (int)Math.Ceiling(view.Buckets / 12.0));
        for (var b = 0; b < view.Buckets; b++)
        {
            var x = Left + (slot * b) + ((slot - bar) / 2);
            var start = view.WindowStart + (view.BucketSize * b);
            var y = (double)(Top + plotHeight);
            foreach (var r in view.Refusals.Where(r => r.Bucket == b).GroupBy(r => r.Reason, StringComparer.Ordinal)
                         .Select(g => (Reason: g.Key, Count: g.Sum(r => r.Executions))).OrderBy(r => order[r.Reason]))
            {
                var h = plotHeight * r.Count / (double)scale;
                y -= h;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{bar:0.##}\" height=\"{h:0.##}\" fill=\"{colours[r.Reason]}\"><title>{Label(start, view.BucketSize)}: {r.Count} × {UiHtml.Encode(r.Reason)}</title></rect>");
            }

            if (b % labelEvery == 0)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{x + (bar / 2):0.##}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" class=\"axis\">{Label(start, view.BucketSize)}</text>");
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Top + plotHeight}\" y2=\"{Top + plotHeight}\" class=\"baseline\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right}\" y=\"{Height - 4}\" text-anchor=\"end\" class=\"axis\">UTC</text>");
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static string Label(DateTimeOffset start, TimeSpan bucket) =>
        start.UtcDateTime.ToString(bucket < TimeSpan.FromDays(1) ? "HH:mm" : "MMM d", CultureInfo.InvariantCulture);

    private static long NiceCeiling(long max)
    {
        var magnitude = (long)Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in (ReadOnlySpan<long>)[1, 2, 4, 5, 10])
        {
            if (step * magnitude >= max && (step * magnitude) % 4 == 0)
            {
                return step * magnitude;
            }
        }

        return ((max / 4) + 1) * 4;
    }
}
