using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Ledger.Client;

/// <summary>
/// A refusal as the ledger states it: RFC 9457 problem details with the ledger's extension members
/// (docs/API.md "Problems").
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Type">The problem type URI, stable per error (e.g. <c>https://ledger.dev/problems/lifecycle-violation</c>), or null when the body was not a problem.</param>
/// <param name="Title">A short summary.</param>
/// <param name="Detail">What exactly was wrong.</param>
/// <param name="Body">The whole body as JSON (every extension member), or an undefined element when the body was not JSON.</param>
/// <param name="RawBody">The body's text (cut to 2,000 characters) when it was not a JSON object; else null.</param>
public sealed record LedgerProblem(int Status, string? Type, string? Title, string? Detail, JsonElement Body, string? RawBody)
{
    private const int MaxBodyChars = 2000;
    private const string TypeBase = "https://ledger.dev/problems/";

    /// <summary>The last segment of a ledger problem type (<c>lifecycle-violation</c>, <c>version-conflict</c>...), or null.</summary>
    public string? Slug => Type is { } t && t.StartsWith(TypeBase, StringComparison.Ordinal) ? t[TypeBase.Length..] : null;

    /// <summary>The fail-closed reason (<c>reason</c>) of a 422 refusal, e.g. <c>authorization-scope-exceeded</c>.</summary>
    public string? Reason => Text("reason");

    /// <summary>The refused submission (<c>rejected</c>) of a 422 refusal.</summary>
    public RejectedSubmission? Rejected =>
        Member("rejected") is { ValueKind: JsonValueKind.Object } r
            ? new RejectedSubmission(TextOf(r, "eventId") ?? "", TextOf(r, "type") ?? "", TextOf(r, "digest") ?? "")
            : null;

    /// <summary>Where the ledger appended its denial or halt (<c>position</c>) for a 422 refusal.</summary>
    public long? Position => Member("position") is { ValueKind: JsonValueKind.Number } p && p.TryGetInt64(out var v) ? v : null;

    /// <summary>The validation errors (<c>errors</c>) of a 400 <c>validation-failed</c>: field → messages.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors
    {
        get
        {
            var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (Member("errors") is { ValueKind: JsonValueKind.Object } e)
            {
                foreach (var member in e.EnumerateObject())
                {
                    errors[member.Name] = member.Value.ValueKind == JsonValueKind.Array
                        ? [.. member.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : m.GetRawText())]
                        : [member.Value.GetRawText()];
                }
            }

            return errors;
        }
    }

    /// <summary>Reads a refusal's body.</summary>
    public static LedgerProblem Parse(HttpStatusCode status, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        JsonElement problem = default;
        try
        {
            using var document = JsonDocument.Parse(body);
            problem = document.RootElement.Clone();
        }
        catch (JsonException)
        {
        }

        if (problem.ValueKind != JsonValueKind.Object)
        {
            var trimmed = body.Trim();
            return new LedgerProblem((int)status, null, null, null, default, trimmed.Length > MaxBodyChars ? trimmed[..MaxBodyChars] + "…" : trimmed);
        }

        return new LedgerProblem((int)status, TextOf(problem, "type"), TextOf(problem, "title"), TextOf(problem, "detail"), problem, null);
    }

    /// <summary>The problem for people: the status and title, then the detail, the type and each extension member, one per line.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        if (Body.ValueKind != JsonValueKind.Object)
        {
            text.Append(CultureInfo.InvariantCulture, $"the ledger answered HTTP {Status} {ReasonPhrase(Status)}");
            if (!string.IsNullOrEmpty(RawBody))
            {
                text.Append("\n  ").Append(RawBody);
            }

            return text.ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"HTTP {Status}: {Title ?? ReasonPhrase(Status)}");
        if (Detail is { } detail)
        {
            text.Append("\n  detail: ").Append(detail);
        }

        if (Type is { } type)
        {
            text.Append("\n  type: ").Append(type);
        }

        foreach (var member in Body.EnumerateObject())
        {
            switch (member.Name)
            {
                case "title" or "detail" or "type" or "status" or "instance" or "traceId":
                    continue;
                case "errors" when member.Value.ValueKind == JsonValueKind.Object:
                    foreach (var (field, messages) in Errors)
                    {
                        foreach (var message in messages)
                        {
                            text.Append("\n  ").Append(field).Append(": ").Append(message);
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

    private static string ReasonPhrase(int status)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        return response.ReasonPhrase ?? "error";
    }

    private JsonElement? Member(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value) ? value : null;

    private string? Text(string name) => Member(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    private static string? TextOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>The submission a fail-closed refusal names: its event id, type and the digest of its canonical statement.</summary>
/// <param name="EventId">The refused event's id.</param>
/// <param name="Type">Its wire type.</param>
/// <param name="Digest"><c>sha256:&lt;hex&gt;</c> of its canonical emitter statement.</param>
public sealed record RejectedSubmission(string EventId, string Type, string Digest);
