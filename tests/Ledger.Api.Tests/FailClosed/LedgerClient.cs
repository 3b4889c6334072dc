using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Log;

namespace Ledger.Api.Tests.FailClosed;

/// <summary>
/// Plain HTTP to one running ledger node, as its emitter (the dev token), its operator (the admin token) and an
/// auditor (public reads, the offline verifier) use it. Thread-safe: many tasks share one client.
/// </summary>
public sealed class LedgerClient(HttpClient http, string devToken, string adminToken) : IDisposable
{
    private readonly HttpClient _http = http;

    /// <summary>A client of the node listening at <paramref name="address"/>.</summary>
    public LedgerClient(Uri address, string devToken, string adminToken)
        : this(new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(120) }, devToken, adminToken)
    {
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Appends as the dev emitter; the caller reads the answer.</summary>
    public async Task<HttpResponseMessage> AppendAsync(string stream, JsonObject body, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/streams/{stream}/events")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", devToken);
        return await _http.SendAsync(request, ct);
    }

    /// <summary>Appends and requires 201; returns the first position.</summary>
    public async Task<long> AppendCreatedAsync(string stream, JsonObject body)
    {
        using var response = await AppendAsync(stream, body);
        var json = await JsonAsync(response, HttpStatusCode.Created);
        return json.GetProperty("positions")[0].GetInt64();
    }

    /// <summary>Runs an execution up to its start in one batch.</summary>
    public Task<long> StartExecutionAsync(Story story) => AppendCreatedAsync(story.Stream, Story.Body(0, story.UpToStart()));

    /// <summary>Starts many executions, a few requests at a time.</summary>
    public Task StartExecutionsAsync(IEnumerable<Story> stories, int parallelism = 16) =>
        Parallel.ForEachAsync(stories, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (s, _) => await StartExecutionAsync(s));

    /// <summary><c>GET /v1/executions/{id}/decision</c>, which must answer 200.</summary>
    public async Task<Decision> DecisionAsync(string executionId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{executionId}/decision");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", devToken);
        using var response = await _http.SendAsync(request);
        var json = await JsonAsync(response, HttpStatusCode.OK);
        return new Decision(executionId, json.GetProperty("allowed").GetBoolean(), json.GetProperty("status").GetString()!, json.GetProperty("reason").GetString());
    }

    /// <summary>The decisions of many executions, a few requests at a time.</summary>
    public async Task<IReadOnlyList<Decision>> DecisionsAsync(IEnumerable<string> executionIds)
    {
        var decisions = new System.Collections.Concurrent.ConcurrentBag<Decision>();
        await Parallel.ForEachAsync(executionIds, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) => decisions.Add(await DecisionAsync(id)));
        return [.. decisions];
    }

    /// <summary>Sets the lifecycle parameters (admin); returns the position of the configuration event.</summary>
    public async Task<long> ConfigureAsync(TimeSpan maxVerificationInterval)
    {
        var body = new JsonObject
        {
            ["maxPolicyAge"] = "PT24H",
            ["maxAuthorizationTtl"] = "PT24H",
            ["maxVerificationInterval"] = System.Xml.XmlConvert.ToString(maxVerificationInterval),
            ["intentTtl"] = "PT1H",
        };
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/admin/parameters")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await _http.SendAsync(request);
        return (await JsonAsync(response, HttpStatusCode.OK)).GetProperty("position").GetInt64();
    }

    /// <summary>Signs a checkpoint of the whole tree now (admin); returns its size.</summary>
    public async Task<long> SignCheckpointAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/checkpoint");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return long.Parse(text.Split('\n')[1], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>Every entry from <paramref name="start"/> to the end of the log, read page by page.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> EntriesAsync(long start = 0)
    {
        var entries = new List<LedgerEntry>();
        while (true)
        {
            var text = await _http.GetStringAsync(string.Create(CultureInfo.InvariantCulture, $"/v1/log/entries?start={start + entries.Count}&limit=1000"));
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            entries.AddRange(lines.Select(l => LedgerEntry.Parse(Encoding.UTF8.GetBytes(l))));
            if (lines.Length < 1000)
            {
                return entries;
            }
        }
    }

    /// <summary>Whether any entry exists at <paramref name="position"/> or later (one cheap read).</summary>
    public async Task<bool> HasEntryAtAsync(long position)
    {
        var text = await _http.GetStringAsync(string.Create(CultureInfo.InvariantCulture, $"/v1/log/entries?start={position}&limit=1"));
        return text.Length > 0;
    }

    /// <summary>
    /// The auditor's check after every scenario: sign a checkpoint of the whole log, export it (<c>GET /v1/export</c>)
    /// and run the offline verifier on the bundle with the ledger's key; the bundle must be valid.
    /// </summary>
    public async Task ExportAndVerifyAsync()
    {
        await SignCheckpointAsync();
        var vkey = (await _http.GetStringAsync("/v1/log/key")).Trim();
        using var response = await _http.GetAsync("/v1/export");
        var bundle = await response.Content.ReadAsByteArrayAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, Encoding.UTF8.GetString(bundle));
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, bundle);
            using var output = new StringWriter();
            var exit = Ledger.Verifier.Program.Run([path, "--trust", vkey], output, output);
            exit.ShouldBe(0, output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The auditor's check of a federation: every ledger's export, verified together with every ledger's key
    /// (<c>ledger-verify A B … --trust KA --trust KB …</c>); each bundle must be valid and every cross-ledger record
    /// (<c>federation.parent-attested.v1</c>) checked against its peer's key and compared with its peer's bundle.
    /// </summary>
    /// <returns>The verifier's <c>federation</c> report.</returns>
    public static async Task<JsonElement> AuditFederationAsync(params LedgerClient[] ledgers)
    {
        var directory = Directory.CreateTempSubdirectory("ledger-federation-audit-");
        try
        {
            var args = new List<string>();
            var keys = new List<string>();
            for (var i = 0; i < ledgers.Length; i++)
            {
                await ledgers[i].SignCheckpointAsync();
                keys.Add((await ledgers[i]._http.GetStringAsync("/v1/log/key")).Trim());
                var path = Path.Combine(directory.FullName, i.ToString(CultureInfo.InvariantCulture) + ".ndjson");
                await File.WriteAllBytesAsync(path, await ledgers[i]._http.GetByteArrayAsync("/v1/export"));
                args.Add(path);
            }

            args.AddRange(keys.SelectMany(k => new[] { "--trust", k }));
            args.Add("--json");
            using var output = new StringWriter();
            using var errors = new StringWriter();
            var exit = Ledger.Verifier.Program.Run([.. args], output, errors);
            exit.ShouldBe(0, output + errors.ToString());
            var federation = JsonDocument.Parse(output.ToString()).RootElement.GetProperty("federation").Clone();
            var records = federation.GetProperty("records").GetInt64();
            federation.GetProperty("checked").GetInt64().ShouldBe(records, federation.ToString());
            federation.GetProperty("compared").GetInt64().ShouldBe(records, federation.ToString());
            return federation;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>One answer of the decision endpoint.</summary>
public sealed record Decision(string ExecutionId, bool Allowed, string Status, string? Reason)
{
    public bool Ended => Status is "halted" or "denied" or "completed";
}
