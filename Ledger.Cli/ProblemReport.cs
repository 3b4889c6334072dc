using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Ledger.Cli;

/// <summary>Formats a refusal: the problem details' status, title, detail, type and extensions, one per line.</summary>
internal static class ProblemReport
{
    private const int MaxBodyChars = 2000;

    public static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            body = "";
        }

        return Format(response.StatusCode, response.ReasonPhrase, body);
    }

    public static string Format(HttpStatusCode status, string? reasonPhrase, string body)
    {
        var code = (int)status;
        JsonElement problem = default;
        try
        {
            using var document = JsonDocument.Parse(body);
            problem = document.RootElement.Clone();
        }
        catch (JsonException)
        {
        }

        var text = new StringBuilder();
        if (problem.ValueKind != JsonValueKind.Object)
        {
            text.Append(CultureInfo.InvariantCulture, $"the ledger answered HTTP {code} {reasonPhrase}");
            var trimmed = body.Trim();
            if (trimmed.Length > 0)
            {
                text.Append('\n').Append("  ").Append(trimmed.Length > MaxBodyChars ? trimmed[..MaxBodyChars] + "…" : trimmed);
            }

            return text.ToString();
        }

        var title = String(problem, "title") ?? reasonPhrase ?? "error";
        text.Append(CultureInfo.InvariantCulture, $"HTTP {code}: {title}");
        if (String(problem, "detail") is { } detail)
        {
            text.Append("\n  detail: ").Append(detail);
        }

        if (String(problem, "type") is { } type)
        {
            text.Append("\n  type: ").Append(type);
        }

        foreach (var member in problem.EnumerateObject())
        {
            switch (member.Name)
            {
                case "title" or "detail" or "type" or "status" or "instance" or "traceId":
                    continue;
                case "errors" when member.Value.ValueKind == JsonValueKind.Object:
                    foreach (var field in member.Value.EnumerateObject())
                    {
                        var messages = field.Value.ValueKind == JsonValueKind.Array
                            ? field.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString() : m.GetRawText())
                            : [field.Value.GetRawText()];
                        foreach (var message in messages)
                        {
                            text.Append("\n  ").Append(field.Name).Append(": ").Append(message);
                        }
                    }

                    break;
                default:
                    text.Append("\n  ").Append(member.Name).Append(": ")
                        .Append(member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : member.Value.GetRawText());
                    break;
            }
        }

        return text.ToString();
    }

    private static string? String(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
