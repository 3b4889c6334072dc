using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Ledger.Api.Ui;

/// <summary>Small pieces of markup every page uses: times, statuses, hashes, links with query strings.</summary>
public static class UiHtml
{
    /// <summary>Colours of statuses, chosen for at least 4.5:1 contrast as text on white.</summary>
    public static readonly IReadOnlyDictionary<string, string> StatusColours = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["completed"] = "#1a7f37",
        ["running"] = "#0550ae",
        ["declared"] = "#57606a",
        ["governed"] = "#57606a",
        ["authorized"] = "#6639ba",
        ["trusted"] = "#6639ba",
        ["denied"] = "#9a4a00",
        ["halted"] = "#c9190b",
        ["none"] = "#57606a",
    };

    /// <summary>Statuses in lifecycle order.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["declared", "governed", "authorized", "trusted", "running", "completed", "denied", "halted"];

    /// <summary>An instant as <c>&lt;time&gt;</c>: UTC text, the ISO value in <c>datetime</c>; the page script puts the local time in its title.</summary>
    public static IHtmlContent Time(DateTimeOffset? value)
    {
        if (value is not { } v)
        {
            return new HtmlString("<span class=\"none\">–</span>");
        }

        var utc = v.UtcDateTime;
        var iso = utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var text = utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return new HtmlString($"<time datetime=\"{iso}\" title=\"{iso} UTC\">{text}<span class=\"utc\"> UTC</span></time>");
    }

    /// <summary>A status as a coloured badge.</summary>
    public static IHtmlContent Status(string status) =>
        new HtmlString($"<span class=\"badge st-{Encode(status)}\">{Encode(status)}</span>");

    /// <summary>A duration for people: "45 s", "12 min", "3 h 5 min", "2 d 4 h".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "-" + Duration(-span);
        }

        return span.TotalSeconds < 90 ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalSeconds} s")
            : span.TotalMinutes < 90 ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalMinutes} min")
            : span.TotalHours < 48 ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalHours} h{(span.Minutes == 0 ? "" : $" {span.Minutes} min")}")
            : string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalDays} d {span.Hours} h");
    }

    /// <summary>A base64 hash shortened for tables, the whole value in its title and for screen readers.</summary>
    public static IHtmlContent Hash(string? value) =>
        value is null ? new HtmlString("<span class=\"none\">–</span>")
        : new HtmlString($"<code class=\"hash\" title=\"{Encode(value)}\">{Encode(value.Length > 16 ? value[..16] + "…" : value)}</code>");

    /// <summary>A path with the non-empty query values, in order.</summary>
    public static string Link(string path, params (string Name, string? Value)[] query)
    {
        var builder = new StringBuilder(path);
        var first = true;
        foreach (var (name, value) in query)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            builder.Append(first ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }

        return builder.ToString();
    }

    /// <summary>The execution page's path.</summary>
    public static string Execution(string id) => "/ui/executions/" + Uri.EscapeDataString(id);

    /// <summary>The lineage page of the tree holding <paramref name="id"/>, scrolled to it.</summary>
    public static string Lineage(string id) => "/ui/lineage/" + Uri.EscapeDataString(id) + "#focus";

    /// <summary>An RFC 3339 instant for URLs.</summary>
    public static string Rfc3339(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Encode(string value) => HtmlEncoder.Default.Encode(value);
}
