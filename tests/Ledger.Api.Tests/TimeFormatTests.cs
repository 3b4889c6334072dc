using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests;

/// <summary>Every time the API answers, in the log and in the read models, is in one form: RFC 3339 UTC, six digits, <c>Z</c>.</summary>
public sealed partial class TimeFormatTests : IAsyncLifetime, IDisposable
{
    private readonly LedgerApp _app = new("sqlite", null);
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _http = _app.CreateClient();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _http.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Log_entries_read_models_and_tokens_all_write_times_with_Z()
    {
        var now = DateTimeOffset.UtcNow;
        var time = (DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var digest = "sha256:" + new string('a', 64);
        var events = $$$"""
            {"expectedVersion": 0, "events": [
              {"eventId": "tf-intent", "type": "execution.intent-declared.v1", "domain": "aws", "data": {"executionId": "tf", "actor": "spiffe://aws/w", "action": "a", "resources": ["r"], "requestedScope": ["s"], "targetDomains": ["aws"], "parent": null}},
              {"eventId": "tf-governance", "type": "execution.governance-synchronized.v1", "domain": "aws", "data": {"policyId": "p", "policyDigest": "{{{digest}}}", "syncedDomains": [{"domain": "aws", "policyDigest": "{{{digest}}}", "syncedAt": "{{{time(now.AddMinutes(-1))}}}"}]}},
              {"eventId": "tf-authorization", "type": "execution.authorization-issued.v1", "domain": "aws", "data": {"authorizationId": "z", "issuer": "aws", "grantedScope": ["s"], "notBefore": "{{{time(now.AddMinutes(-1))}}}", "expiresAt": "{{{time(now.AddMinutes(30))}}}", "artifactDigest": "{{{digest}}}"}},
              {"eventId": "tf-trust", "type": "execution.runtime-trust-established.v1", "domain": "aws", "data": {"workload": "spiffe://aws/w", "attestationType": "tpm", "measurement": "{{{digest}}}", "verifier": "v", "verdict": "trusted"}},
              {"eventId": "tf-start", "type": "execution.started.v1", "domain": "aws", "data": {"runtimeNode": "n"}}]}
            """;
        (await SendAsync(HttpMethod.Post, "/v1/streams/execution-tf/events", events, _app.FirstStart.DevToken)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await SendAsync(HttpMethod.Post, "/v1/admin/checkpoint", null, _app.FirstStart.AdminToken);

        var seen = new List<string>();
        Collect(await JsonAsync("/v1/streams/execution-tf/events", _app.FirstStart.DevToken), seen);
        Collect(await JsonAsync("/v1/executions/tf/decision", _app.FirstStart.DevToken), seen);
        Collect(await ReadModelAsync("/v1/executions/tf"), seen);
        Collect(await ReadModelAsync("/v1/executions?domain=aws"), seen);
        Collect(await ReadModelAsync("/v1/domains/aws/compliance"), seen);
        using (var mint = await SendAsync(HttpMethod.Post, "/v1/admin/tokens",
            $$"""{"subject": "dev", "role": "emitter", "expiresAt": "{{time(now.AddDays(1)).Replace("Z", "+00:00", StringComparison.Ordinal)}}"}""", _app.FirstStart.AdminToken))
        {
            Collect(JsonDocument.Parse(await mint.Content.ReadAsStringAsync()).RootElement, seen);
        }

        seen.Count.ShouldBeGreaterThan(8, "times from the stream, the decision, the read models and the token");
        seen.Where(t => !OneForm().IsMatch(t)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_api_description_still_says_date_time_strings()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync("/openapi/v1.json"));
        var summary = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("ExecutionSummary").GetProperty("properties");

        summary.GetProperty("createdAt").GetProperty("type").GetString().ShouldBe("string");
        summary.GetProperty("createdAt").GetProperty("format").GetString().ShouldBe("date-time");
        summary.GetProperty("endedAt").GetProperty("type").EnumerateArray().Select(t => t.GetString()).ShouldBe(["null", "string"], ignoreOrder: true);
    }

    private static void Collect(JsonElement element, List<string> times)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                // An event's data is the emitter's own text, kept byte for byte (it is what the emitter signed).
                foreach (var member in element.EnumerateObject().Where(m => m.Name != "data"))
                {
                    Collect(member.Value, times);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, times);
                }

                break;
            case JsonValueKind.String when LooksLikeTime().IsMatch(element.GetString()!):
                times.Add(element.GetString()!);
                break;
        }
    }

    private async Task<JsonElement> ReadModelAsync(string path)
    {
        // The read models lag the log: ask until the execution is there.
        for (var i = 0; ; i++)
        {
            var answer = await JsonAsync(path, _app.FirstStart.AdminToken, allowMissing: true);
            if (answer.ValueKind == JsonValueKind.Object && answer.GetRawText().Contains("\"tf\"", StringComparison.Ordinal))
            {
                return answer;
            }

            i.ShouldBeLessThan(100, $"{path} never showed the execution");
            await Task.Delay(100);
        }
    }

    private async Task<JsonElement> JsonAsync(string path, string token, bool allowMissing = false)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, token);
        var text = await response.Content.ReadAsStringAsync();
        if (allowMissing && response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }

        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json, string token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d")]
    private static partial Regex LooksLikeTime();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")]
    private static partial Regex OneForm();
}
